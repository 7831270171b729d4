// size: lintPackage runs ~46 checks inline until they are split into one function per rule
/**
 * Offline re-implementation of the AppInspect checks listed in docs/packaging.md §2 that can be
 * reproduced without Splunk's service, plus the project's own rules (spec-valid .conf keys, known SPL
 * commands, view version, icon sizes). Input: the built .tgz, exactly as a user would upload it.
 */
import * as fs from 'fs';
import * as path from 'path';
import { XMLParser, XMLValidator } from 'fast-xml-parser';
import { ConfFile, confValue, parseConf, stanzaMap } from './conf';
import { executablePaths, PLATFORMS } from './layout';
import { pngSize } from './png';
import { parseSpec, validateAgainstSpec } from './spec';
import { commandsOf, expandMacros, knownCommands, Macros, SplError } from './spl';
import { readTgz, TarEntry } from './tar';

export type Severity = 'fail' | 'warn';

export interface Finding {
  check: string;
  severity: Severity;
  message: string;
}

/** Every check this lint runs: name -> what it verifies (AppInspect name where one exists). */
export const CHECKS: Record<string, string> = {
  check_that_splunk_app_package_valid_compressed_file:
    'the package is a valid gzip-compressed tar (header checksums verified)',
  check_that_splunk_app_package_name_does_not_start_with_period: 'package file name does not start with "."',
  check_that_splunk_app_package_extracts_to_visible_directory: 'the app folder does not start with "."',
  check_that_splunk_app_package_does_not_contain_files_outside_of_app: 'exactly one top-level folder',
  check_that_extracted_splunk_app_does_not_contain_prohibited_directories_or_files: 'no ".*" names, no __MACOSX',
  check_that_extracted_splunk_app_contains_default_app_conf_file_with_valid_version_number:
    'default/app.conf exists, [launcher]/[id] version is Major.Minor.Revision',
  check_that_extracted_splunk_app_does_not_contain_invalid_directories: 'directories are owner rwx',
  check_that_extracted_splunk_app_does_not_contain_files_with_invalid_permissions: 'files are owner rw',
  check_that_local_does_not_exist: 'no local/ folder',
  check_for_local_meta: 'no metadata/local.meta',
  check_that_directory_name_matches_package_id:
    'folder name == [package] id, id uses [A-Za-z0-9._] and does not end with "."',
  check_filenames_for_spaces: 'no spaces in file or folder names',
  check_for_hidden_files: 'no dotfiles anywhere',
  check_for_bin_files: 'exec bit only inside bin/ or <PLATFORM>/bin/ or appserver/controllers/',
  check_for_expansive_permissions: 'nothing world-writable',
  check_for_compiled_python: 'no .pyc/.pyo',
  t1612_exact_modes:
    'project rule: 0755 exactly for what splunkd executes, 0644 for every other file, 0755 directories',
  t1612_tar_owner: 'project rule: uid/gid 0, no user/group names in the tar',
  check_command_conf_exists: 'commands.conf present (the app ships a command)',
  check_default_meta_exists: 'metadata/default.meta present when commands.conf exists',
  check_command_scripts_exist: 'each command filename exists in <PLATFORM>/bin or bin with an allowed extension',
  check_ignored_parameters_v2_command:
    'chunked stanzas use only filename, chunked, is_risky, maxchunksize, maxwait, python.version, command.arg.N',
  check_command_scripts_python_version: 'non-chunked .py commands set python.version = python3',
  t1612_launcher_runnable: 'project rule: directly executed scripts start with a "#!" line and are 0755',
  check_basic_readme: 'README.md / README.txt / README at the app root',
  check_lookup_csv_is_valid:
    'lookup CSVs: non-empty, UTF-8, >= 2 columns, header <= 4096 chars, no CR-only line ends, same column count per row',
  check_that_setup_has_not_been_performed: '[install] is_configured is not true in default/app.conf',
  check_no_install_source_checksum: 'no install_source_checksum in default/app.conf',
  check_app_version: '[launcher] version present',
  t1612_app_conf_identity:
    'project rule: [install] build positive integer, [id] name == id, versions agree with package.json and app.manifest, description <= 200, label 5-80 and not "Splunk App for/Splunk For"',
  check_that_json_schema_is_applicable: 'app.manifest is JSON with schemaVersion 1.0.0 (info.id matches app.conf)',
  t1612_conf_spec:
    "every stanza and key of default/*.conf and metadata/default.meta is documented in Splunk's .spec (10.4.2) and simple values match",
  check_for_emails_in_saved_search: 'action.email.to has no value',
  check_for_sched_saved_searches_earliest_time: 'scheduled searches set dispatch.earliest_time',
  check_for_sched_saved_searches_latest_time: 'scheduled searches set dispatch.latest_time',
  check_for_gratuitous_cron_scheduling: 'cron is valid (fail) and runs at most 12 times per hour (warn)',
  check_for_empty_saved_search_description: 'no empty description =',
  check_saved_searches_are_not_disabled: 'scheduled searches shipped disabled (AppInspect only warns)',
  t1612_alert_throttle: 'project rule: alert.suppress = 1 with digest mode off needs alert.suppress.fields',
  t1612_spl_commands:
    "every SPL command in saved searches, macros and dashboards is in Splunk's searchbnf.conf or defined by the app; every macro used is defined",
  t1612_searchbnf:
    'project rule: every command in commands.conf has a [<name>-command] searchbnf stanza with syntax, description and usage',
  check_simplexml_standards_version: 'views are well-formed XML with <dashboard|form version="1.1">',
  t1612_nav_xml: 'project rule: nav XML is well-formed with a <nav> root and its views exist',
  check_app_icon_dimensions:
    'static/appIcon.png is 36x36 and static/appIcon_2x.png 72x72 (optional alt/logo icons within their limits)',
  check_platform_specific_binaries: 'when <PLATFORM>/bin exists, README mentions it (AppInspect reviews this by hand)',
  t1612_package_size: 'package <= 128 MB (Splunk Cloud private app limit)',
};

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

export interface LintOptions {
  /** Folder with Splunk's *.spec and searchbnf.conf (test/fixtures/splunk-spec). */
  specDir: string;
  /** package.json version, when known: app.conf and app.manifest must agree with it. */
  expectedVersion?: string;
}

const VERSION_RE = /^\d+\.\d+\.\d+$/;
const CHUNKED_KEYS = /^(filename|chunked|is_risky|maxchunksize|maxwait|python\.version|command\.arg\.\d+)$/;
const CHUNKED_EXTS = ['.py', '.pl', '.cmd', '.bat', '.exe', '.js', '.sh', ''];

function decode(xml: string): string {
  return xml
    .replace(/<!\[CDATA\[([\s\S]*?)\]\]>/g, '$1')
    .replace(/&lt;/g, '<')
    .replace(/&gt;/g, '>')
    .replace(/&quot;/g, '"')
    .replace(/&apos;/g, "'")
    .replace(/&amp;/g, '&');
}

/** Field counts per cron field, or an error. Numbers, *, a-b, lists and /step only (no names). */
export function cronRunsPerHour(cron: string): number {
  const fields = cron.trim().split(/\s+/);
  if (fields.length !== 5) throw new Error(`cron needs 5 fields, got ${fields.length}`);
  const ranges: [number, number][] = [
    [0, 59],
    [0, 23],
    [1, 31],
    [1, 12],
    [0, 7],
  ];
  const sets = fields.map((f, i) => {
    const [lo, hi] = ranges[i];
    const hits = new Set<number>();
    for (const part of f.split(',')) {
      const m = /^(\*|(\d+)(?:-(\d+))?)(?:\/(\d+))?$/.exec(part);
      if (!m) throw new Error(`invalid cron field ${JSON.stringify(f)}`);
      const a = m[1] === '*' ? lo : Number(m[2]);
      const b = m[1] === '*' ? hi : m[3] !== undefined ? Number(m[3]) : m[4] !== undefined ? hi : a;
      const step = m[4] !== undefined ? Number(m[4]) : 1;
      if (a < lo || b > hi || a > b || step < 1)
        throw new Error(`cron field ${JSON.stringify(f)} out of range ${lo}-${hi}`);
      for (let v = a; v <= b; v += step) hits.add(v);
    }
    return hits;
  });
  return sets[0].size;
}

export function csvProblems(buf: Buffer): string[] {
  const problems: string[] = [];
  if (buf.length === 0) return ['file is empty'];
  let text: string;
  try {
    text = new TextDecoder('utf-8', { fatal: true }).decode(buf);
  } catch {
    return ['not valid UTF-8'];
  }
  if (/\r(?!\n)/.test(text)) problems.push('has CR-only line endings');
  const rows: string[][] = [];
  let row: string[] = [];
  let field = '';
  let q = false;
  let i = 0;
  for (; i < text.length; i++) {
    const c = text[i];
    if (q) {
      if (c === '"' && text[i + 1] === '"') {
        field += '"';
        i++;
      } else if (c === '"') q = false;
      else field += c;
    } else if (c === '"') q = true;
    else if (c === ',') {
      row.push(field);
      field = '';
    } else if (c === '\n' || c === '\r') {
      if (c === '\r' && text[i + 1] === '\n') i++;
      row.push(field);
      rows.push(row);
      row = [];
      field = '';
    } else field += c;
  }
  if (q) problems.push('unterminated quoted field');
  if (field !== '' || row.length) {
    row.push(field);
    rows.push(row);
  }
  if (!rows.length) return [...problems, 'no header row'];
  const header = text.split(/\r?\n/, 1)[0];
  if (header.length > 4096) problems.push(`header is ${header.length} characters (max 4096)`);
  if (rows[0].length < 2) problems.push(`header has ${rows[0].length} column (min 2)`);
  rows.forEach((r, n) => {
    if (r.length !== rows[0].length)
      problems.push(`row ${n + 1} has ${r.length} columns, header has ${rows[0].length}`);
  });
  return problems;
}

export function lintPackage(tgzPath: string, opts: LintOptions): Finding[] {
  const findings: Finding[] = [];
  const fail = (check: string, message: string) => findings.push({ check, severity: 'fail', message });
  const warn = (check: string, message: string) => findings.push({ check, severity: 'warn', message });

  const pkgName = path.basename(tgzPath);
  if (pkgName.startsWith('.')) fail('check_that_splunk_app_package_name_does_not_start_with_period', pkgName);
  if (!/\.(tgz|tar\.gz|spl)$/.test(pkgName))
    warn('check_that_splunk_app_package_valid_compressed_file', `unusual package extension: ${pkgName}`);
  const raw = fs.readFileSync(tgzPath);
  if (raw.length > 128 * 1024 * 1024) fail('t1612_package_size', `package is ${raw.length} bytes (> 128 MB)`);
  let entries: TarEntry[];
  try {
    entries = readTgz(raw);
  } catch (e) {
    fail('check_that_splunk_app_package_valid_compressed_file', (e as Error).message);
    return findings;
  }
  if (!entries.length) {
    fail('check_that_splunk_app_package_valid_compressed_file', 'archive is empty');
    return findings;
  }

  // ---- layout, names, modes, owner
  const tops = new Set(entries.map((e) => e.path.replace(/^\.\//, '').split('/')[0]));
  if (tops.size !== 1)
    fail(
      'check_that_splunk_app_package_does_not_contain_files_outside_of_app',
      `top-level entries: ${[...tops].join(', ')}`,
    );
  const top = [...tops][0];
  if (top.startsWith('.')) fail('check_that_splunk_app_package_extracts_to_visible_directory', top);
  const files = new Map<string, TarEntry>();
  for (const e of entries) {
    const p = e.path.replace(/^\.\//, '');
    const rel = p.split('/').slice(1).join('/').replace(/\/$/, '');
    const parts = p.replace(/\/$/, '').split('/');
    if (parts.some((x) => x.startsWith('.'))) {
      fail('check_that_extracted_splunk_app_does_not_contain_prohibited_directories_or_files', p);
      fail('check_for_hidden_files', p);
    }
    if (parts.includes('__MACOSX'))
      fail('check_that_extracted_splunk_app_does_not_contain_prohibited_directories_or_files', p);
    if (/\s/.test(p)) fail('check_filenames_for_spaces', p);
    if (e.type === 'other')
      fail('check_that_splunk_app_package_valid_compressed_file', `${p}: links and special files are not allowed`);
    if (e.uid !== 0 || e.gid !== 0 || e.uname || e.gname)
      fail('t1612_tar_owner', `${p}: uid=${e.uid} gid=${e.gid} uname=${e.uname} gname=${e.gname}`);
    if (e.mode & 0o002) fail('check_for_expansive_permissions', `${p} is world-writable (${e.mode.toString(8)})`);
    if (rel.split('/')[0] === 'local') fail('check_that_local_does_not_exist', p);
    if (rel === 'metadata/local.meta') fail('check_for_local_meta', p);
    if (/\.py[co]$/.test(p)) fail('check_for_compiled_python', p);
    if (e.type === 'dir') {
      if ((e.mode & 0o700) !== 0o700)
        fail('check_that_extracted_splunk_app_does_not_contain_invalid_directories', `${p} mode ${e.mode.toString(8)}`);
      if (e.mode !== 0o755) fail('t1612_exact_modes', `directory ${p} has mode ${e.mode.toString(8)}, expected 755`);
    } else if (e.type === 'file') {
      if ((e.mode & 0o600) !== 0o600)
        fail(
          'check_that_extracted_splunk_app_does_not_contain_files_with_invalid_permissions',
          `${p} mode ${e.mode.toString(8)}`,
        );
      files.set(rel, e);
    }
  }
  const text = (rel: string): string | undefined => files.get(rel)?.data.toString('utf8');

  // ---- app.conf
  const appConfText = text('default/app.conf');
  let appConf: ConfFile | undefined;
  if (appConfText === undefined) {
    fail(
      'check_that_extracted_splunk_app_contains_default_app_conf_file_with_valid_version_number',
      'default/app.conf is missing',
    );
  } else {
    appConf = parseConf(appConfText);
    const id = confValue(appConf, 'package', 'id');
    if (!id) fail('check_that_directory_name_matches_package_id', '[package] id is missing');
    else {
      if (id !== top) fail('check_that_directory_name_matches_package_id', `folder "${top}" != [package] id "${id}"`);
      if (!/^[A-Za-z0-9._]+$/.test(id) || id.endsWith('.'))
        fail('check_that_directory_name_matches_package_id', `id "${id}" must use [A-Za-z0-9._] and not end with "."`);
    }
    const launcherVersion = confValue(appConf, 'launcher', 'version');
    const idVersion = confValue(appConf, 'id', 'version');
    if (!launcherVersion) fail('check_app_version', '[launcher] version is missing');
    for (const [where, v] of [
      ['[launcher] version', launcherVersion],
      ['[id] version', idVersion],
    ] as const) {
      if (v !== undefined && !VERSION_RE.test(v))
        fail(
          'check_that_extracted_splunk_app_contains_default_app_conf_file_with_valid_version_number',
          `${where} "${v}" is not Major.Minor.Revision`,
        );
      if (v !== undefined && opts.expectedVersion && v !== opts.expectedVersion)
        fail('t1612_app_conf_identity', `${where} "${v}" != package.json version "${opts.expectedVersion}"`);
    }
    if (launcherVersion && idVersion && launcherVersion !== idVersion)
      fail('t1612_app_conf_identity', `[launcher] version ${launcherVersion} != [id] version ${idVersion}`);
    if (/^(true|1|t|yes)$/i.test(confValue(appConf, 'install', 'is_configured') ?? ''))
      fail('check_that_setup_has_not_been_performed', '[install] is_configured is true');
    if (confValue(appConf, 'install', 'install_source_checksum') !== undefined)
      fail('check_no_install_source_checksum', 'install_source_checksum is set');
    const build = confValue(appConf, 'install', 'build');
    if (!build || !/^[1-9]\d*$/.test(build))
      fail('t1612_app_conf_identity', `[install] build must be a positive integer (got ${JSON.stringify(build)})`);
    const idName = confValue(appConf, 'id', 'name');
    if (idName !== undefined && idName !== id)
      fail('t1612_app_conf_identity', `[id] name "${idName}" != [package] id "${id}"`);
    const desc = confValue(appConf, 'launcher', 'description') ?? '';
    if (desc.length > 200)
      fail('t1612_app_conf_identity', `[launcher] description is ${desc.length} characters (max 200)`);
    const label = confValue(appConf, 'ui', 'label') ?? '';
    if (label.length < 5 || label.length > 80)
      fail('t1612_app_conf_identity', `[ui] label must be 5-80 characters (got ${label.length})`);
    if (/^splunk\s+(for|app\s+for)\b/i.test(label))
      fail('t1612_app_conf_identity', `[ui] label "${label}" must not start with "Splunk For"/"Splunk App for"`);
    const manifest = text('app.manifest');
    if (manifest !== undefined) {
      try {
        const m = JSON.parse(manifest) as {
          schemaVersion?: string;
          info?: { id?: { name?: string; version?: string } };
        };
        if (m.schemaVersion !== '1.0.0')
          fail('check_that_json_schema_is_applicable', `app.manifest schemaVersion ${m.schemaVersion} (use 1.0.0)`);
        if (m.info?.id?.name !== id)
          fail('check_that_json_schema_is_applicable', `app.manifest info.id.name ${m.info?.id?.name} != ${id}`);
        if (m.info?.id?.version !== (idVersion ?? launcherVersion))
          fail(
            'check_that_json_schema_is_applicable',
            `app.manifest info.id.version ${m.info?.id?.version} != app.conf ${idVersion ?? launcherVersion}`,
          );
      } catch (e) {
        fail('check_that_json_schema_is_applicable', `app.manifest is not JSON: ${(e as Error).message}`);
      }
    }
  }

  // ---- README, default.meta
  if (!['README.md', 'README.txt', 'README'].some((r) => files.has(r)))
    fail('check_basic_readme', 'no README.md, README.txt or README at the app root');
  const hasMeta = files.has('metadata/default.meta');

  // ---- .conf files against the specs
  const specCache = new Map<string, ReturnType<typeof parseSpec> | null>();
  const specFor = (name: string) => {
    if (!specCache.has(name)) {
      const p = path.join(opts.specDir, name);
      specCache.set(name, fs.existsSync(p) ? parseSpec(name, fs.readFileSync(p, 'utf8')) : null);
    }
    return specCache.get(name) ?? null;
  };
  const confs = new Map<string, ConfFile>();
  for (const [rel, e] of files) {
    let specName: string | null = null;
    const m = /^default\/([^/]+)\.conf$/.exec(rel);
    if (m) specName = `${m[1]}.conf.spec`;
    else if (rel === 'metadata/default.meta') specName = 'default.meta.spec';
    if (!specName) continue;
    const conf = parseConf(e.data.toString('utf8'));
    confs.set(rel, conf);
    const spec = specFor(specName);
    if (!spec) {
      fail('t1612_conf_spec', `${rel}: no ${specName} in ${opts.specDir}, so it cannot be validated`);
      continue;
    }
    for (const f of validateAgainstSpec(conf, spec)) fail('t1612_conf_spec', `${rel}:${f.line}: ${f.message}`);
  }

  // ---- commands
  const commandsConf = confs.get('default/commands.conf');
  const appCommands = new Set<string>();
  if (!commandsConf)
    warn('check_command_conf_exists', 'no default/commands.conf (this app is expected to ship | t1612score)');
  else {
    if (!hasMeta) fail('check_default_meta_exists', 'commands.conf exists but metadata/default.meta does not');
    const execs = executablePaths(text('default/commands.conf'));
    for (const s of commandsConf.stanzas) {
      appCommands.add(s.name.toLowerCase());
      const kv = stanzaMap(s);
      const chunked = /^(true|1|t|yes)$/i.test(kv.get('chunked') ?? '');
      const filename = kv.get('filename');
      if (chunked) {
        for (const k of kv.keys())
          if (!CHUNKED_KEYS.test(k))
            fail('check_ignored_parameters_v2_command', `[${s.name}] key "${k}" is not allowed with chunked = true`);
      } else if ((filename ?? '').endsWith('.py') && kv.get('python.version') !== 'python3') {
        fail('check_command_scripts_python_version', `[${s.name}] .py command without python.version = python3`);
      }
      if (!filename) {
        fail('check_command_scripts_exist', `[${s.name}] has no filename`);
        continue;
      }
      const ext = path.extname(filename);
      if (chunked && !CHUNKED_EXTS.includes(ext) && ext !== '.path')
        fail(
          'check_command_scripts_exist',
          `[${s.name}] filename extension "${ext}" is not allowed for chunked commands`,
        );
      if (ext === '.path')
        warn('check_command_scripts_exist', `[${s.name}] uses a .path pointer: AppInspect reviews it by hand`);
      const candidates = [...(chunked ? PLATFORMS.map((p) => `${p}/bin/${filename}`) : []), `bin/${filename}`];
      const found = candidates.filter((c) => files.has(c));
      if (!found.length)
        fail('check_command_scripts_exist', `[${s.name}] ${filename} not found in ${candidates.join(', ')}`);
      for (const f of found) {
        const e = files.get(f)!;
        if (execs.has(f) && (e.mode & 0o111) === 0)
          fail('t1612_launcher_runnable', `${f} is executed directly but is not executable`);
        const isScript = ext === '' || ext === '.sh';
        const isElf = e.data.subarray(0, 4).equals(Buffer.from([0x7f, 0x45, 0x4c, 0x46]));
        if (isScript && !isElf && !e.data.subarray(0, 2).equals(Buffer.from('#!')))
          fail('t1612_launcher_runnable', `${f} has no "#!" line`);
      }
    }
  }
  // Modes: 0755 exactly for what splunkd executes, 0644 for the rest; exec bits only in bin folders.
  const execs = executablePaths(text('default/commands.conf'));
  for (const [rel, e] of files) {
    const mode = e.mode & 0o7777;
    const inBin = /^(bin|appserver\/controllers|(linux|windows|darwin)_x86(_64)?\/bin)\//.test(rel);
    if (mode & 0o111 && !inBin)
      fail('check_for_bin_files', `${rel} has an exec bit outside bin/ (${mode.toString(8)})`);
    const want = execs.has(rel) ? 0o755 : 0o644;
    if (mode !== want) fail('t1612_exact_modes', `${rel} has mode ${mode.toString(8)}, expected ${want.toString(8)}`);
  }
  const platformDirs = [...files.keys()].filter((r) => PLATFORMS.some((p) => r.startsWith(`${p}/bin/`)));
  if (platformDirs.length) {
    const readme = [text('README.md'), text('README.txt'), text('README')].join('\n');
    for (const p of new Set(platformDirs.map((r) => r.split('/')[0]))) {
      if (!readme.includes(p)) fail('check_platform_specific_binaries', `README does not mention the ${p} binaries`);
    }
  }

  // ---- app searchbnf
  const bnf = confs.get('default/searchbnf.conf');
  for (const c of appCommands) {
    const st = bnf?.stanzas.find((s) => s.name === `${c}-command`);
    if (!st) {
      fail('t1612_searchbnf', `no [${c}-command] stanza in default/searchbnf.conf`);
      continue;
    }
    const kv = stanzaMap(st);
    for (const k of ['syntax', 'description', 'usage'])
      if (!kv.get(k)) fail('t1612_searchbnf', `[${c}-command] has no ${k}`);
  }

  // ---- lookups
  for (const [rel, e] of files) {
    if (!/^lookups\/.*\.csv$/i.test(rel)) continue;
    for (const p of csvProblems(e.data)) fail('check_lookup_csv_is_valid', `${rel}: ${p}`);
  }
  const transforms = confs.get('default/transforms.conf');
  for (const s of transforms?.stanzas ?? []) {
    const fn = stanzaMap(s).get('filename');
    if (fn && !files.has(`lookups/${fn}`))
      fail('t1612_conf_spec', `transforms.conf [${s.name}] filename ${fn} is not in lookups/`);
  }

  // ---- icons
  const icons: [string, number, number, boolean][] = [
    ['static/appIcon.png', 36, 36, true],
    ['static/appIcon_2x.png', 72, 72, true],
    ['static/appIconAlt.png', 36, 36, false],
    ['static/appIconAlt_2x.png', 72, 72, false],
    ['static/appLogo.png', 160, 40, false],
    ['static/appLogo_2x.png', 320, 80, false],
  ];
  for (const [rel, w, h, required] of icons) {
    const e = files.get(rel);
    if (!e) {
      if (required) fail('check_app_icon_dimensions', `${rel} is missing`);
      continue;
    }
    try {
      const size = pngSize(e.data);
      const exact = required ? size.width === w && size.height === h : size.width <= w && size.height <= h;
      if (!exact)
        fail(
          'check_app_icon_dimensions',
          `${rel} is ${size.width}x${size.height}, expected ${required ? '' : 'at most '}${w}x${h}`,
        );
    } catch (err) {
      fail('check_app_icon_dimensions', `${rel}: ${(err as Error).message}`);
    }
  }

  // ---- views and nav
  const xmlParser = new XMLParser({ ignoreAttributes: false, attributeNamePrefix: '@_' });
  const viewNames = new Set<string>();
  const dashboardQueries: { where: string; spl: string; postProcess: boolean }[] = [];
  for (const [rel, e] of files) {
    const m = /^default\/data\/ui\/views\/([^/]+)\.xml$/.exec(rel);
    if (!m) continue;
    viewNames.add(m[1]);
    const xml = e.data.toString('utf8');
    const valid = XMLValidator.validate(xml);
    if (valid !== true) {
      fail(
        'check_simplexml_standards_version',
        `${rel}: not well-formed XML: ${valid.err.msg} (line ${valid.err.line})`,
      );
      continue;
    }
    const doc = xmlParser.parse(xml) as Record<string, Record<string, unknown> | string>;
    const root = Object.keys(doc).find((k) => k !== '?xml');
    const rootEl = root ? doc[root] : undefined;
    const version = typeof rootEl === 'object' && rootEl ? rootEl['@_version'] : undefined;
    if (root !== 'dashboard' && root !== 'form')
      fail('check_simplexml_standards_version', `${rel}: root element <${root}> is not <dashboard> or <form>`);
    else if (version !== '1.1')
      fail(
        'check_simplexml_standards_version',
        `${rel}: <${root}> needs version="1.1" (got ${JSON.stringify(version)})`,
      );
    const re = /<search\b([^>]*)>\s*<query>([\s\S]*?)<\/query>/g;
    for (let q = re.exec(xml); q; q = re.exec(xml)) {
      dashboardQueries.push({ where: `${rel} query`, spl: decode(q[2]), postProcess: /\bbase\s*=/.test(q[1]) });
    }
  }
  for (const [rel, e] of files) {
    if (!/^default\/data\/ui\/nav\/[^/]+\.xml$/.test(rel)) continue;
    const xml = e.data.toString('utf8');
    const valid = XMLValidator.validate(xml);
    if (valid !== true) {
      fail('t1612_nav_xml', `${rel}: not well-formed XML: ${valid.err.msg}`);
      continue;
    }
    if (!/^\s*(<\?xml[^>]*>\s*)?<nav\b/.test(xml)) fail('t1612_nav_xml', `${rel}: root element is not <nav>`);
    const builtin = new Set(['search', 'datasets', 'reports', 'alerts', 'dashboards', 'analytics_workspace']);
    for (const v of xml.matchAll(/<view\s+name="([^"]+)"/g)) {
      if (!viewNames.has(v[1]) && !builtin.has(v[1]))
        fail('t1612_nav_xml', `${rel}: view "${v[1]}" does not exist in default/data/ui/views/`);
    }
  }

  // ---- saved searches and SPL
  const macros: Macros = new Map();
  for (const s of confs.get('default/macros.conf')?.stanzas ?? []) {
    const kv = stanzaMap(s);
    const args = (kv.get('args') ?? '')
      .split(',')
      .map((a) => a.trim())
      .filter(Boolean);
    macros.set(s.name, { args, definition: kv.get('definition') ?? '' });
  }
  const searchbnfPath = path.join(opts.specDir, 'searchbnf.conf');
  const known = fs.existsSync(searchbnfPath)
    ? knownCommands(fs.readFileSync(searchbnfPath, 'utf8'))
    : new Set<string>();
  if (!known.size) fail('t1612_spl_commands', `no Splunk searchbnf.conf at ${searchbnfPath}`);
  const searches: { where: string; spl: string; postProcess: boolean }[] = [...dashboardQueries];
  for (const s of confs.get('default/savedsearches.conf')?.stanzas ?? []) {
    const kv = stanzaMap(s);
    const where = `savedsearches.conf [${s.name}]`;
    const spl = kv.get('search');
    if (spl !== undefined) searches.push({ where, spl, postProcess: false });
    if (kv.has('description') && kv.get('description') === '')
      fail('check_for_empty_saved_search_description', `${where}: description is empty`);
    if ((kv.get('action.email.to') ?? '') !== '')
      fail('check_for_emails_in_saved_search', `${where}: action.email.to = ${kv.get('action.email.to')}`);
    const scheduled = /^(1|true)$/i.test(kv.get('enableSched') ?? '');
    if (!scheduled) continue;
    if (!kv.get('dispatch.earliest_time'))
      fail('check_for_sched_saved_searches_earliest_time', `${where}: scheduled without dispatch.earliest_time`);
    if (!kv.get('dispatch.latest_time'))
      fail('check_for_sched_saved_searches_latest_time', `${where}: scheduled without dispatch.latest_time`);
    const cron = kv.get('cron_schedule');
    if (!cron) fail('check_for_gratuitous_cron_scheduling', `${where}: scheduled without cron_schedule`);
    else {
      try {
        const runs = cronRunsPerHour(cron);
        if (runs > 12)
          warn('check_for_gratuitous_cron_scheduling', `${where}: cron "${cron}" runs ${runs} times per hour (> 12)`);
      } catch (err) {
        fail('check_for_gratuitous_cron_scheduling', `${where}: ${(err as Error).message}`);
      }
    }
    if (!/^(1|true)$/i.test(kv.get('disabled') ?? ''))
      warn('check_saved_searches_are_not_disabled', `${where}: shipped enabled`);
    const digest = kv.get('alert.digest_mode');
    if (
      /^(1|true)$/i.test(kv.get('alert.suppress') ?? '') &&
      digest !== undefined &&
      /^(0|false)$/i.test(digest) &&
      !kv.get('alert.suppress.fields')
    ) {
      fail('t1612_alert_throttle', `${where}: alert.suppress with digest mode off needs alert.suppress.fields`);
    }
  }
  const allowed = new Set([...known, ...appCommands]);
  const usedMacros = new Set<string>();
  for (const { where, spl, postProcess } of searches) {
    try {
      const { text: expanded, used } = expandMacros(spl, macros);
      used.forEach((u) => usedMacros.add(u));
      for (const c of commandsOf(expanded, postProcess)) {
        if (!allowed.has(c.name))
          fail(
            't1612_spl_commands',
            `${where}: command "${c.name}" is not a Splunk command (searchbnf.conf) nor one of this app's (${c.segment.slice(0, 50)})`,
          );
      }
    } catch (err) {
      if (err instanceof SplError) fail('t1612_spl_commands', `${where}: ${err.message}`);
      else throw err;
    }
  }
  // Macros nobody ships a search for are still checked when they start a pipeline segment.
  for (const [name, def] of macros) {
    if (usedMacros.has(name) || def.args.length) continue;
    try {
      expandMacros(def.definition, macros);
    } catch (err) {
      if (err instanceof SplError) fail('t1612_spl_commands', `macros.conf [${name}]: ${err.message}`);
      else throw err;
    }
  }
  return findings;
}
