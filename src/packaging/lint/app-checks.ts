/** default/app.conf identity, app.manifest and README rules. */
import { confValue } from '../conf';
import { appConf, Check, LintContext, text } from './context';

const VERSION_RE = /^\d+\.\d+\.\d+$/;
const TRUE = /^(true|1|t|yes)$/i;

function versions(ctx: LintContext): [string, string | undefined][] {
  const conf = appConf(ctx);
  if (!conf) return [];
  return [
    ['[launcher] version', confValue(conf, 'launcher', 'version')],
    ['[id] version', confValue(conf, 'id', 'version')],
  ];
}

export const appConfWithValidVersion: Check = {
  name: 'check_that_extracted_splunk_app_contains_default_app_conf_file_with_valid_version_number',
  description: 'default/app.conf exists, [launcher]/[id] version is Major.Minor.Revision',
  run(ctx, r) {
    if (!appConf(ctx)) {
      r.fail('default/app.conf is missing');
      return;
    }
    for (const [where, v] of versions(ctx))
      if (v !== undefined && !VERSION_RE.test(v)) r.fail(`${where} "${v}" is not Major.Minor.Revision`);
  },
};

export const directoryNameMatchesId: Check = {
  name: 'check_that_directory_name_matches_package_id',
  description: 'folder name == [package] id, id uses [A-Za-z0-9._] and does not end with "."',
  run(ctx, r) {
    const conf = appConf(ctx);
    if (!conf) return;
    const id = confValue(conf, 'package', 'id');
    if (!id) {
      r.fail('[package] id is missing');
      return;
    }
    if (id !== ctx.top) r.fail(`folder "${ctx.top}" != [package] id "${id}"`);
    if (!/^[A-Za-z0-9._]+$/.test(id) || id.endsWith('.'))
      r.fail(`id "${id}" must use [A-Za-z0-9._] and not end with "."`);
  },
};

export const setupNotPerformed: Check = {
  name: 'check_that_setup_has_not_been_performed',
  description: '[install] is_configured is not true in default/app.conf',
  run(ctx, r) {
    const conf = appConf(ctx);
    if (conf && TRUE.test(confValue(conf, 'install', 'is_configured') ?? '')) r.fail('[install] is_configured is true');
  },
};

export const noInstallSourceChecksum: Check = {
  name: 'check_no_install_source_checksum',
  description: 'no install_source_checksum in default/app.conf',
  run(ctx, r) {
    const conf = appConf(ctx);
    if (conf && confValue(conf, 'install', 'install_source_checksum') !== undefined)
      r.fail('install_source_checksum is set');
  },
};

export const appVersion: Check = {
  name: 'check_app_version',
  description: '[launcher] version present',
  run(ctx, r) {
    const conf = appConf(ctx);
    if (conf && !confValue(conf, 'launcher', 'version')) r.fail('[launcher] version is missing');
  },
};

export const appConfIdentity: Check = {
  name: 't1612_app_conf_identity',
  description:
    'project rule: [install] build positive integer, [id] name == id, versions agree with package.json and app.manifest, description <= 200, label 5-80 and not "Splunk App for/Splunk For"',
  run(ctx, r) {
    const conf = appConf(ctx);
    if (!conf) return;
    const expected = ctx.opts.expectedVersion;
    for (const [where, v] of versions(ctx))
      if (v !== undefined && expected && v !== expected)
        r.fail(`${where} "${v}" != package.json version "${expected}"`);
    const launcherVersion = confValue(conf, 'launcher', 'version');
    const idVersion = confValue(conf, 'id', 'version');
    if (launcherVersion && idVersion && launcherVersion !== idVersion)
      r.fail(`[launcher] version ${launcherVersion} != [id] version ${idVersion}`);
    const build = confValue(conf, 'install', 'build');
    if (!build || !/^[1-9]\d*$/.test(build))
      r.fail(`[install] build must be a positive integer (got ${JSON.stringify(build)})`);
    const id = confValue(conf, 'package', 'id');
    const idName = confValue(conf, 'id', 'name');
    if (idName !== undefined && idName !== id) r.fail(`[id] name "${idName}" != [package] id "${id}"`);
    const desc = confValue(conf, 'launcher', 'description') ?? '';
    if (desc.length > 200) r.fail(`[launcher] description is ${desc.length} characters (max 200)`);
    const label = confValue(conf, 'ui', 'label') ?? '';
    if (label.length < 5 || label.length > 80) r.fail(`[ui] label must be 5-80 characters (got ${label.length})`);
    if (/^splunk\s+(for|app\s+for)\b/i.test(label))
      r.fail(`[ui] label "${label}" must not start with "Splunk For"/"Splunk App for"`);
  },
};

export const manifestSchema: Check = {
  name: 'check_that_json_schema_is_applicable',
  description: 'app.manifest is JSON with schemaVersion 1.0.0 (info.id matches app.conf)',
  run(ctx, r) {
    const conf = appConf(ctx);
    const manifest = text(ctx, 'app.manifest');
    if (!conf || manifest === undefined) return;
    const id = confValue(conf, 'package', 'id');
    const version = confValue(conf, 'id', 'version') ?? confValue(conf, 'launcher', 'version');
    let m: { schemaVersion?: string; info?: { id?: { name?: string; version?: string } } };
    try {
      m = JSON.parse(manifest) as typeof m;
    } catch (e) {
      r.fail(`app.manifest is not JSON: ${(e as Error).message}`);
      return;
    }
    if (m.schemaVersion !== '1.0.0') r.fail(`app.manifest schemaVersion ${m.schemaVersion} (use 1.0.0)`);
    if (m.info?.id?.name !== id) r.fail(`app.manifest info.id.name ${m.info?.id?.name} != ${id}`);
    if (m.info?.id?.version !== version)
      r.fail(`app.manifest info.id.version ${m.info?.id?.version} != app.conf ${version}`);
  },
};

export const basicReadme: Check = {
  name: 'check_basic_readme',
  description: 'README.md / README.txt / README at the app root',
  run(ctx, r) {
    if (!['README.md', 'README.txt', 'README'].some((f) => ctx.files.has(f)))
      r.fail('no README.md, README.txt or README at the app root');
  },
};
