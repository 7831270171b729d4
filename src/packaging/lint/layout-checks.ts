/** Archive, layout, names, modes and ownership rules (AppInspect packaging checks plus project rules). */
import { executablePaths } from '../layout';
import { Check, text } from './context';

const MAX_PACKAGE = 128 * 1024 * 1024;
const BIN_DIR = /^(bin|appserver\/controllers|(linux|windows|darwin)_x86(_64)?\/bin)\//;

export const validCompressedFile: Check = {
  name: 'check_that_splunk_app_package_valid_compressed_file',
  description: 'the package is a valid gzip-compressed tar (header checksums verified)',
  archiveLevel: true,
  run(ctx, r) {
    if (!/\.(tgz|tar\.gz|spl)$/.test(ctx.pkgName)) r.warn(`unusual package extension: ${ctx.pkgName}`);
    if (ctx.archiveError) r.fail(ctx.archiveError);
    for (const i of ctx.items) if (i.entry.type === 'other') r.fail(`${i.p}: links and special files are not allowed`);
  },
};

export const nameDoesNotStartWithPeriod: Check = {
  name: 'check_that_splunk_app_package_name_does_not_start_with_period',
  description: 'package file name does not start with "."',
  archiveLevel: true,
  run(ctx, r) {
    if (ctx.pkgName.startsWith('.')) r.fail(ctx.pkgName);
  },
};

export const extractsToVisibleDirectory: Check = {
  name: 'check_that_splunk_app_package_extracts_to_visible_directory',
  description: 'the app folder does not start with "."',
  run(ctx, r) {
    if (ctx.top.startsWith('.')) r.fail(ctx.top);
  },
};

export const noFilesOutsideOfApp: Check = {
  name: 'check_that_splunk_app_package_does_not_contain_files_outside_of_app',
  description: 'exactly one top-level folder',
  run(ctx, r) {
    if (ctx.tops.size !== 1) r.fail(`top-level entries: ${[...ctx.tops].join(', ')}`);
  },
};

export const noProhibitedFiles: Check = {
  name: 'check_that_extracted_splunk_app_does_not_contain_prohibited_directories_or_files',
  description: 'no ".*" names, no __MACOSX',
  run(ctx, r) {
    for (const i of ctx.items) {
      if (i.parts.some((x) => x.startsWith('.'))) r.fail(i.p);
      if (i.parts.includes('__MACOSX')) r.fail(i.p);
    }
  },
};

export const noInvalidDirectories: Check = {
  name: 'check_that_extracted_splunk_app_does_not_contain_invalid_directories',
  description: 'directories are owner rwx',
  run(ctx, r) {
    for (const { entry: e, p } of ctx.items)
      if (e.type === 'dir' && (e.mode & 0o700) !== 0o700) r.fail(`${p} mode ${e.mode.toString(8)}`);
  },
};

export const noInvalidFilePermissions: Check = {
  name: 'check_that_extracted_splunk_app_does_not_contain_files_with_invalid_permissions',
  description: 'files are owner rw',
  run(ctx, r) {
    for (const { entry: e, p } of ctx.items)
      if (e.type === 'file' && (e.mode & 0o600) !== 0o600) r.fail(`${p} mode ${e.mode.toString(8)}`);
  },
};

export const localDoesNotExist: Check = {
  name: 'check_that_local_does_not_exist',
  description: 'no local/ folder',
  run(ctx, r) {
    for (const i of ctx.items) if (i.rel.split('/')[0] === 'local') r.fail(i.p);
  },
};

export const noLocalMeta: Check = {
  name: 'check_for_local_meta',
  description: 'no metadata/local.meta',
  run(ctx, r) {
    for (const i of ctx.items) if (i.rel === 'metadata/local.meta') r.fail(i.p);
  },
};

export const noSpacesInNames: Check = {
  name: 'check_filenames_for_spaces',
  description: 'no spaces in file or folder names',
  run(ctx, r) {
    for (const i of ctx.items) if (/\s/.test(i.p)) r.fail(i.p);
  },
};

export const noHiddenFiles: Check = {
  name: 'check_for_hidden_files',
  description: 'no dotfiles anywhere',
  run(ctx, r) {
    for (const i of ctx.items) if (i.parts.some((x) => x.startsWith('.'))) r.fail(i.p);
  },
};

export const execBitsOnlyInBin: Check = {
  name: 'check_for_bin_files',
  description: 'exec bit only inside bin/ or <PLATFORM>/bin/ or appserver/controllers/',
  run(ctx, r) {
    for (const [rel, e] of ctx.files) {
      const mode = e.mode & 0o7777;
      if (mode & 0o111 && !BIN_DIR.test(rel)) r.fail(`${rel} has an exec bit outside bin/ (${mode.toString(8)})`);
    }
  },
};

export const noWorldWritable: Check = {
  name: 'check_for_expansive_permissions',
  description: 'nothing world-writable',
  run(ctx, r) {
    for (const { entry: e, p } of ctx.items)
      if (e.mode & 0o002) r.fail(`${p} is world-writable (${e.mode.toString(8)})`);
  },
};

export const noCompiledPython: Check = {
  name: 'check_for_compiled_python',
  description: 'no .pyc/.pyo',
  run(ctx, r) {
    for (const i of ctx.items) if (/\.py[co]$/.test(i.p)) r.fail(i.p);
  },
};

export const exactModes: Check = {
  name: 't1612_exact_modes',
  description: 'project rule: 0755 exactly for what splunkd executes, 0644 for every other file, 0755 directories',
  run(ctx, r) {
    for (const { entry: e, p } of ctx.items)
      if (e.type === 'dir' && e.mode !== 0o755) r.fail(`directory ${p} has mode ${e.mode.toString(8)}, expected 755`);
    const execs = executablePaths(text(ctx, 'default/commands.conf'));
    for (const [rel, e] of ctx.files) {
      const mode = e.mode & 0o7777;
      const want = execs.has(rel) ? 0o755 : 0o644;
      if (mode !== want) r.fail(`${rel} has mode ${mode.toString(8)}, expected ${want.toString(8)}`);
    }
  },
};

export const tarOwner: Check = {
  name: 't1612_tar_owner',
  description: 'project rule: uid/gid 0, no user/group names in the tar',
  run(ctx, r) {
    for (const { entry: e, p } of ctx.items)
      if (e.uid !== 0 || e.gid !== 0 || e.uname || e.gname)
        r.fail(`${p}: uid=${e.uid} gid=${e.gid} uname=${e.uname} gname=${e.gname}`);
  },
};

export const packageSize: Check = {
  name: 't1612_package_size',
  description: 'package <= 128 MB (Splunk Cloud private app limit)',
  archiveLevel: true,
  run(ctx, r) {
    if (ctx.raw.length > MAX_PACKAGE) r.fail(`package is ${ctx.raw.length} bytes (> 128 MB)`);
  },
};
