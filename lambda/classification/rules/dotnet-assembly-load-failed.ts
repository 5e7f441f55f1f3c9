import { NO_MATCH, NOT_APPLICABLE, type Rule } from '../types';
import { findFirst } from '../evidence-text';
import { hitFinding, resultOf } from '../finding';
import { streamLines } from '../log-patterns';
import { nameToken } from '../own-words';

// CLR: `Could not load file or assembly 'Foo, Version=1.0.0.0, …'`; the host (hostfxr): `The framework
// 'Microsoft.AspNetCore.App', version '8.0.0' (x64) was not found.` and `You must install or update .NET
// to run this application.`; since .NET 8 the host names the framework on its own line after that one
// (`Framework: 'Microsoft.AspNetCore.App', version '9.0.0' (x64)`), which is the line cited
// (https://learn.microsoft.com/en-us/dotnet/core/runtime-discovery/troubleshoot-app-launch).
const ASSEMBLY = /\bCould not load file or assembly '([^',]{1,300})/;
const FRAMEWORK = /\bThe framework '([^']{1,200})', version '([^']{1,50})'[^\n]{0,20}? was not found/;
const FRAMEWORK_LINE = /^Framework: '([^']{1,200})', version '([^']{1,50})'/;
const INSTALL_DOTNET = /\bYou must install or update \.NET to run this application/;

/** .NET could not load an assembly or the shared framework the app targets. */
export const dotnetAssemblyLoadFailed: Rule = {
  id: 'dotnet-assembly-load-failed',
  logPatterns: [ASSEMBLY, FRAMEWORK, FRAMEWORK_LINE, INSTALL_DOTNET],
  category: 'app_import_error',
  title: '.NET cannot load an assembly or its framework (Could not load file or assembly)',
  remediation: [
    'Copy the complete `dotnet publish` output into the image (not the `bin/` of a build), from the same configuration and runtime identifier.',
    'Use a base image whose .NET version matches the TargetFramework (e.g. `mcr.microsoft.com/dotnet/aspnet:8.0` for net8.0 web apps), or publish self-contained.',
  ],
  sources: ['https://learn.microsoft.com/en-us/dotnet/core/deploying/', 'https://learn.microsoft.com/en-us/dotnet/core/runtime-discovery/troubleshoot-app-launch', 'https://learn.microsoft.com/en-us/dotnet/core/install/linux-docker'],
  match(evidence) {
    const lines = streamLines(evidence);
    if (lines.length === 0) return NOT_APPLICABLE;
    const framework = findFirst(lines, FRAMEWORK) ?? findFirst(lines, FRAMEWORK_LINE) ?? findFirst(lines, INSTALL_DOTNET);
    const hit = framework ?? findFirst(lines, ASSEMBLY);
    if (!hit) return NO_MATCH;
    const name = nameToken(hit.groups[0]);
    const version = nameToken(hit.groups[1]);
    const what = framework ? `the .NET framework ${name ?? ''}${version ? ` ${version}` : ''}`.trim() : name ? `assembly ${name}` : 'an assembly';
    return resultOf(
      hitFinding(hit, {
        title: `.NET cannot load ${what}`,
        explanation: `The .NET program could not load ${what}, so it could not start. ${framework ? 'The base image does not contain the shared framework version the application targets.' : 'The assembly is missing from the published output in the image, or a different version is there.'}`,
        confidence: 0.9,
        remediation: framework
          ? [`Base the final image on one that ships ${name ?? 'the framework'}${version ? ` ${version}` : ''} (the \`aspnet\` image for Microsoft.AspNetCore.App, \`runtime\` for Microsoft.NETCore.App), or publish self-contained.`]
          : [`Make sure \`${name ?? 'the assembly'}.dll\` is in the published output copied into the image, and that package versions agree (binding redirects, transitive package versions).`],
      }),
    );
  },
};
