import type { RuleCases } from '../rule-tester';

// The .NET 8+ host's output when the shared framework is missing
// (https://learn.microsoft.com/en-us/dotnet/core/runtime-discovery/troubleshoot-app-launch).
const FRAMEWORK = "Framework: 'Microsoft.NETCore.App', version '8.0.0' (arm64)";

export const cases: RuleCases = {
  match: [
    {
      name: 'the Framework: line over the generic install notice',
      log: ['You must install or update .NET to run this application.', '', 'App: /app/Worker.dll', 'Architecture: arm64', FRAMEWORK, '.NET location: /usr/share/dotnet/'],
      exitCode: 150,
      cites: FRAMEWORK,
      title: '.NET cannot load the .NET framework Microsoft.NETCore.App 8.0.0',
      rootCause: true,
    },
  ],
  noMatch: [{ name: 'a framework listed as found', log: '  8.0.10 at [/usr/share/dotnet/shared/Microsoft.AspNetCore.App]' }],
  notApplicable: [{ name: 'no logs' }],
};
