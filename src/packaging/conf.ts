/**
 * Splunk .conf / .meta parsing: `[stanza]` headers, `key = value` lines, `#` comments, and a trailing
 * backslash continuing a value on the next line (as Splunk writes multi-line searches).
 */

export interface ConfEntry {
  key: string;
  value: string;
  line: number;
}

export interface ConfStanza {
  name: string;
  line: number;
  entries: ConfEntry[];
}

export interface ConfProblem {
  line: number;
  message: string;
}

export interface ConfFile {
  /** Stanzas in file order; keys before the first header go into a stanza named "default" at line 0. */
  stanzas: ConfStanza[];
  problems: ConfProblem[];
}

export function parseConf(text: string): ConfFile {
  const lines = text.replace(/^\uFEFF/, '').split(/\r?\n/);
  const stanzas: ConfStanza[] = [];
  const problems: ConfProblem[] = [];
  let current: ConfStanza | null = null;
  for (let i = 0; i < lines.length; i++) {
    const lineNo = i + 1;
    let line = lines[i];
    const trimmed = line.trim();
    if (trimmed === '' || trimmed.startsWith('#')) continue;
    if (trimmed.startsWith('[')) {
      const m = /^\[(.*)\]$/.exec(trimmed);
      if (!m) {
        problems.push({ line: lineNo, message: `malformed stanza header ${JSON.stringify(trimmed)}` });
        continue;
      }
      current = { name: m[1], line: lineNo, entries: [] };
      stanzas.push(current);
      continue;
    }
    // Continuation lines: a value ending in a backslash goes on with the next line (newline kept).
    while (line.endsWith('\\') && i + 1 < lines.length) {
      i++;
      line = line.slice(0, -1) + '\n' + lines[i];
    }
    const eq = line.indexOf('=');
    if (eq <= 0) {
      problems.push({ line: lineNo, message: `not a "key = value" line: ${JSON.stringify(trimmed.slice(0, 60))}` });
      continue;
    }
    const key = line.slice(0, eq).trim();
    const value = line.slice(eq + 1).trim();
    if (!current) {
      current = { name: 'default', line: 0, entries: [] };
      stanzas.push(current);
    }
    current.entries.push({ key, value, line: lineNo });
  }
  return { stanzas, problems };
}

/** Value of `key` in the first stanza called `stanza` (Splunk merges duplicates; lint flags them). */
export function confValue(conf: ConfFile, stanza: string, key: string): string | undefined {
  for (const s of conf.stanzas) {
    if (s.name !== stanza) continue;
    for (let i = s.entries.length - 1; i >= 0; i--) if (s.entries[i].key === key) return s.entries[i].value;
  }
  return undefined;
}

export function stanzaMap(s: ConfStanza): Map<string, string> {
  const m = new Map<string, string>();
  for (const e of s.entries) m.set(e.key, e.value);
  return m;
}
