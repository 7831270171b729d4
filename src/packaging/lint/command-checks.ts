/** commands.conf rules: the command's files exist, run directly, use only v2 keys; searchbnf documents it. */
import * as path from 'path';
import { ConfStanza, stanzaMap } from '../conf';
import { executablePaths, PLATFORMS } from '../layout';
import { Check, LintContext, text } from './context';

const CHUNKED_KEYS = /^(filename|chunked|is_risky|maxchunksize|maxwait|python\.version|command\.arg\.\d+)$/;
const CHUNKED_EXTS = ['.py', '.pl', '.cmd', '.bat', '.exe', '.js', '.sh', ''];

interface Command {
  stanza: ConfStanza;
  kv: Map<string, string>;
  chunked: boolean;
  filename?: string;
  /** Where splunkd looks for filename (platform folders first for chunked commands), and what exists. */
  candidates: string[];
  found: string[];
}

function commands(ctx: LintContext): Command[] {
  const conf = ctx.confs.get('default/commands.conf');
  return (conf?.stanzas ?? []).map((stanza) => {
    const kv = stanzaMap(stanza);
    const chunked = /^(true|1|t|yes)$/i.test(kv.get('chunked') ?? '');
    const filename = kv.get('filename');
    const candidates = filename
      ? [...(chunked ? PLATFORMS.map((p) => `${p}/bin/${filename}`) : []), `bin/${filename}`]
      : [];
    return { stanza, kv, chunked, filename, candidates, found: candidates.filter((c) => ctx.files.has(c)) };
  });
}

export const commandConfExists: Check = {
  name: 'check_command_conf_exists',
  description: 'commands.conf present (the app ships a command)',
  run(ctx, r) {
    if (!ctx.confs.has('default/commands.conf'))
      r.warn('no default/commands.conf (this app is expected to ship | t1612score)');
  },
};

export const defaultMetaExists: Check = {
  name: 'check_default_meta_exists',
  description: 'metadata/default.meta present when commands.conf exists',
  run(ctx, r) {
    if (ctx.confs.has('default/commands.conf') && !ctx.files.has('metadata/default.meta'))
      r.fail('commands.conf exists but metadata/default.meta does not');
  },
};

export const commandScriptsExist: Check = {
  name: 'check_command_scripts_exist',
  description: 'each command filename exists in <PLATFORM>/bin or bin with an allowed extension',
  run(ctx, r) {
    for (const c of commands(ctx)) {
      const name = c.stanza.name;
      if (!c.filename) {
        r.fail(`[${name}] has no filename`);
        continue;
      }
      const ext = path.extname(c.filename);
      if (c.chunked && !CHUNKED_EXTS.includes(ext) && ext !== '.path')
        r.fail(`[${name}] filename extension "${ext}" is not allowed for chunked commands`);
      if (ext === '.path') r.warn(`[${name}] uses a .path pointer: AppInspect reviews it by hand`);
      if (!c.found.length) r.fail(`[${name}] ${c.filename} not found in ${c.candidates.join(', ')}`);
    }
  },
};

export const ignoredParametersV2: Check = {
  name: 'check_ignored_parameters_v2_command',
  description:
    'chunked stanzas use only filename, chunked, is_risky, maxchunksize, maxwait, python.version, command.arg.N',
  run(ctx, r) {
    for (const c of commands(ctx)) {
      if (!c.chunked) continue;
      for (const k of c.kv.keys())
        if (!CHUNKED_KEYS.test(k)) r.fail(`[${c.stanza.name}] key "${k}" is not allowed with chunked = true`);
    }
  },
};

export const pythonVersion: Check = {
  name: 'check_command_scripts_python_version',
  description: 'non-chunked .py commands set python.version = python3',
  run(ctx, r) {
    for (const c of commands(ctx))
      if (!c.chunked && (c.filename ?? '').endsWith('.py') && c.kv.get('python.version') !== 'python3')
        r.fail(`[${c.stanza.name}] .py command without python.version = python3`);
  },
};

const isElf = (b: Buffer) => b.subarray(0, 4).equals(Buffer.from([0x7f, 0x45, 0x4c, 0x46]));
const isPe = (b: Buffer) => b.subarray(0, 2).equals(Buffer.from('MZ'));

export const launcherRunnable: Check = {
  name: 't1612_launcher_runnable',
  description: 'project rule: directly executed scripts start with a "#!" line and are 0755',
  run(ctx, r) {
    const execs = executablePaths(text(ctx, 'default/commands.conf'));
    for (const c of commands(ctx)) {
      const ext = path.extname(c.filename ?? '');
      for (const f of c.found) {
        const e = ctx.files.get(f)!;
        if (execs.has(f) && (e.mode & 0o111) === 0) r.fail(`${f} is executed directly but is not executable`);
        const isScript = ext === '' || ext === '.sh';
        if (isScript && !isElf(e.data) && !isPe(e.data) && !e.data.subarray(0, 2).equals(Buffer.from('#!')))
          r.fail(`${f} has no "#!" line`);
      }
    }
  },
};

export const platformBinariesDeclared: Check = {
  name: 'check_platform_specific_binaries',
  description: 'when <PLATFORM>/bin exists, README mentions it (AppInspect reviews this by hand)',
  run(ctx, r) {
    const platformFiles = [...ctx.files.keys()].filter((f) => PLATFORMS.some((p) => f.startsWith(`${p}/bin/`)));
    if (!platformFiles.length) return;
    const readme = [text(ctx, 'README.md'), text(ctx, 'README.txt'), text(ctx, 'README')].join('\n');
    for (const p of new Set(platformFiles.map((f) => f.split('/')[0])))
      if (!readme.includes(p)) r.fail(`README does not mention the ${p} binaries`);
  },
};

export const searchbnfDocumented: Check = {
  name: 't1612_searchbnf',
  description:
    'project rule: every command in commands.conf has a [<name>-command] searchbnf stanza with syntax, description and usage',
  run(ctx, r) {
    const bnf = ctx.confs.get('default/searchbnf.conf');
    for (const c of commands(ctx)) {
      const name = c.stanza.name.toLowerCase();
      const st = bnf?.stanzas.find((s) => s.name === `${name}-command`);
      if (!st) {
        r.fail(`no [${name}-command] stanza in default/searchbnf.conf`);
        continue;
      }
      const kv = stanzaMap(st);
      for (const k of ['syntax', 'description', 'usage']) if (!kv.get(k)) r.fail(`[${name}-command] has no ${k}`);
    }
  },
};
