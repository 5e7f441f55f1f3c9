import { version } from '../../package.json';

/** The analyzer's version (package.json `version`), written into every report. */
export const ANALYZER_VERSION: string = version;
