/**
 * Offline re-implementation of the AppInspect checks that can be reproduced without Splunk's service,
 * plus the project's own rules (spec-valid .conf keys, known SPL commands, view version, icon sizes); the
 * packaging facts they rest on: docs/packaging.md. Input: the built .tgz, exactly as a user would upload
 * it. One function per rule (src/packaging/lint/*-checks.ts); CHECKS is the registry, in report order.
 */
import * as app from './lint/app-checks';
import * as cmd from './lint/command-checks';
import * as content from './lint/content-checks';
import { Check, Finding, LintContext, LintOptions, loadContext, Report } from './lint/context';
import * as layout from './lint/layout-checks';
import * as search from './lint/search-checks';

export type { Check, Finding, LintOptions, Severity } from './lint/context';
export { csvProblems } from './lint/content-checks';
export { cronRunsPerHour } from './lint/search-checks';

/** Every rule, in the order the report lists them. */
export const REGISTRY: readonly Check[] = [
  layout.validCompressedFile,
  layout.nameDoesNotStartWithPeriod,
  layout.extractsToVisibleDirectory,
  layout.noFilesOutsideOfApp,
  layout.noProhibitedFiles,
  app.appConfWithValidVersion,
  layout.noInvalidDirectories,
  layout.noInvalidFilePermissions,
  layout.localDoesNotExist,
  layout.noLocalMeta,
  app.directoryNameMatchesId,
  layout.noSpacesInNames,
  layout.noHiddenFiles,
  layout.execBitsOnlyInBin,
  layout.noWorldWritable,
  layout.noCompiledPython,
  layout.exactModes,
  layout.tarOwner,
  cmd.commandConfExists,
  cmd.defaultMetaExists,
  cmd.commandScriptsExist,
  cmd.ignoredParametersV2,
  cmd.pythonVersion,
  cmd.launcherRunnable,
  app.basicReadme,
  content.lookupCsvValid,
  app.setupNotPerformed,
  app.noInstallSourceChecksum,
  app.appVersion,
  app.appConfIdentity,
  app.manifestSchema,
  content.confSpec,
  search.noEmailsInSavedSearch,
  search.scheduledEarliestTime,
  search.scheduledLatestTime,
  search.cronScheduling,
  search.noEmptyDescription,
  search.shippedDisabled,
  search.alertThrottle,
  search.splCommands,
  cmd.searchbnfDocumented,
  content.simpleXmlVersion,
  content.navXml,
  content.iconDimensions,
  cmd.platformBinariesDeclared,
  layout.packageSize,
];

/** Every check this lint runs: name -> what it verifies (AppInspect name where one exists). */
export const CHECKS: Record<string, string> = Object.fromEntries(REGISTRY.map((c) => [c.name, c.description]));

/** AppInspect checks that only Splunk's service (or a human reviewer) can run. */
export const SERVICE_ONLY_CHECKS: Record<string, string> = {
  check_for_executable_flag: 'manual review of files that libmagic calls "executable" (the SEA binary)',
  check_for_binary_files_without_source_code: 'manual cloud review that each binary has source or a README declaration',
  'check_platform_specific_binaries (review)': 'a person reads the README declaration',
  'path pointer (*.path) review': 'manual check of .path command pointers',
  'search-time SPL validation':
    'splunkd parses and runs the searches; offline we only check command names and macro references',
  'Python/JavaScript code checks, jQuery checks, secret scanning, Cloud vetting':
    'rules only the AppInspect service and Splunk reviewers apply',
};

/** Runs one check against a loaded package; its findings carry its name. */
export function runCheck(check: Check, ctx: LintContext): Finding[] {
  const findings: Finding[] = [];
  const report: Report = {
    fail: (message) => findings.push({ check: check.name, severity: 'fail', message }),
    warn: (message) => findings.push({ check: check.name, severity: 'warn', message }),
  };
  if (ctx.archiveError === undefined || check.archiveLevel) check.run(ctx, report);
  return findings;
}

export function lintPackage(tgzPath: string, opts: LintOptions): Finding[] {
  const ctx = loadContext(tgzPath, opts);
  return REGISTRY.flatMap((check) => runCheck(check, ctx));
}
