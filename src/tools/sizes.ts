#!/usr/bin/env node
/**
 * `npm run sizes [-- <repo root>]`: the 10 largest files under src/ and the 10 largest functions (lines from the first token to
 * the closing brace, TypeScript compiler API), and the files over MAX_FILE_LINES without a `// size: <reason>`
 * line at their top, or within it but still carrying one (exit 1 when there are any).
 */
import * as fs from 'fs';
import * as path from 'path';
import * as ts from 'typescript';

export const MAX_FILE_LINES = 400;
/** A file may exceed MAX_FILE_LINES when one of its first lines says why. */
const REASON_LINES = 5;
const REASON = /^\s*\/\/ size: \S/;

export interface Sized {
  name: string;
  lines: number;
}

export function lineCount(text: string): number {
  if (text === '') return 0;
  return text.split('\n').length - (text.endsWith('\n') ? 1 : 0);
}

export function hasSizeReason(text: string): boolean {
  return text.split('\n', REASON_LINES).some((l) => REASON.test(l));
}

export function listTsFiles(dir: string): string[] {
  const out: string[] = [];
  for (const e of fs.readdirSync(dir, { withFileTypes: true })) {
    const p = path.join(dir, e.name);
    if (e.isDirectory()) out.push(...listTsFiles(p));
    else if (e.name.endsWith('.ts')) out.push(p);
  }
  return out.sort();
}

function functionName(node: ts.Node): string {
  if (ts.isConstructorDeclaration(node)) return 'constructor';
  const named = node as ts.Node & { name?: ts.Node };
  if (named.name && (ts.isIdentifier(named.name) || ts.isPrivateIdentifier(named.name))) return named.name.text;
  const p = node.parent;
  if (ts.isVariableDeclaration(p) || ts.isPropertyAssignment(p) || ts.isPropertyDeclaration(p)) {
    if (ts.isIdentifier(p.name)) return p.name.text;
  }
  if (ts.isCallExpression(p)) return `<callback of ${p.expression.getText().slice(-40)}>`;
  return '<anonymous>';
}

/** Every function-like node of one file (nested ones too), with the class name for methods. */
export function functionSizes(file: string, text: string): Sized[] {
  const sf = ts.createSourceFile(file, text, ts.ScriptTarget.Latest, true);
  const out: Sized[] = [];
  const visit = (node: ts.Node): void => {
    if (ts.isFunctionLike(node) && 'body' in node && node.body) {
      const start = sf.getLineAndCharacterOfPosition(node.getStart(sf)).line;
      const end = sf.getLineAndCharacterOfPosition(node.getEnd()).line;
      const owner = ts.isClassLike(node.parent) && node.parent.name ? `${node.parent.name.text}.` : '';
      out.push({ name: `${owner}${functionName(node)}`, lines: end - start + 1 });
    }
    ts.forEachChild(node, visit);
  };
  visit(sf);
  return out;
}

export interface SizeReport {
  files: Sized[];
  functions: Sized[];
  /** Files over MAX_FILE_LINES with no `// size:` reason at the top. */
  oversized: string[];
  /** Files within MAX_FILE_LINES that still carry a `// size:` reason (stale once a file is split). */
  staleReasons: string[];
}

export function sizeReport(root: string, dir = 'src'): SizeReport {
  const files: Sized[] = [];
  const functions: Sized[] = [];
  const oversized: string[] = [];
  const staleReasons: string[] = [];
  for (const abs of listTsFiles(path.join(root, dir))) {
    const rel = path.relative(root, abs).split(path.sep).join('/');
    const text = fs.readFileSync(abs, 'utf8');
    const lines = lineCount(text);
    files.push({ name: rel, lines });
    const reason = hasSizeReason(text);
    if (lines > MAX_FILE_LINES && !reason) oversized.push(`${rel} (${lines} lines)`);
    if (lines <= MAX_FILE_LINES && reason) staleReasons.push(`${rel} (${lines} lines)`);
    for (const f of functionSizes(rel, text)) functions.push({ name: `${rel} ${f.name}`, lines: f.lines });
  }
  const bySize = (a: Sized, b: Sized) => b.lines - a.lines || a.name.localeCompare(b.name);
  return { files: files.sort(bySize), functions: functions.sort(bySize), oversized, staleReasons };
}

function table(title: string, rows: Sized[]): string {
  return [`${title}`, ...rows.map((r) => `${String(r.lines).padStart(6)}  ${r.name}`)].join('\n');
}

if (require.main === module) {
  const report = sizeReport(path.resolve(process.argv[2] ?? path.join(__dirname, '..')));
  process.stdout.write(`${table('10 largest files (lines)', report.files.slice(0, 10))}\n\n`);
  process.stdout.write(`${table('10 largest functions (lines)', report.functions.slice(0, 10))}\n`);
  if (report.oversized.length > 0) {
    process.stderr.write(
      `\nover ${MAX_FILE_LINES} lines without a "// size: <reason>" line at the top:\n  ${report.oversized.join('\n  ')}\n`,
    );
    process.exitCode = 1;
  }
  if (report.staleReasons.length > 0) {
    process.stderr.write(
      `\nwithin ${MAX_FILE_LINES} lines but a "// size:" line remains:\n  ${report.staleReasons.join('\n  ')}\n`,
    );
    process.exitCode = 1;
  }
}
