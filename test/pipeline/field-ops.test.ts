/**
 * The CIM fields scoring writes back (score-event.ts fieldOps): a derived value is copied from the event
 * field that already holds it (keeping its multivalue), set when the event lacks it or holds another
 * value, and never written over a field the event has. Which field provides each CIM key is read once
 * per event (normalise.ts eventFieldsSeen) and shared by normalisation and the write-back.
 */
import {
  defaultScoreOptions,
  EVIDENCE_FIELDS,
  FieldOp,
  hasEvidenceFields,
  normalisedValues,
  scoreEvent,
  scoreNormalised,
} from '../../src/pipeline/score-event';
import { NORMALISED_FIELDS } from '../../src/telemetry/types';
import { eventFieldsSeen, seenField, CIM_ALIASES } from '../../src/telemetry/normalise';
import { getterOf, loadCorpus } from '../corpus/load';
import type { NormalisedEvent } from '../../src/telemetry/types';

const options = defaultScoreOptions();
const opsOf = (event: Record<string, string>): FieldOp[] => scoreEvent(getterOf(event), options).ops;
const opFor = (ops: FieldOp[], name: string): FieldOp | undefined => ops.find((o) => o[0] === name);

it('an add-on field that holds the value is copied; the event own CIM field is left alone', () => {
  const ops = opsOf({
    sourcetype: 'crowdstrike:events:sensor',
    CommandLine: 'docker build -t x /tmp/c',
    process_name: 'docker',
    Image: '/usr/bin/docker',
    User: 'alice',
    host: 'h1',
  });
  expect(opFor(ops, 'process')).toEqual(['process', null, 'CommandLine']);
  expect(opFor(ops, 'process_path')).toEqual(['process_path', null, 'Image']);
  expect(opFor(ops, 'user')).toEqual(['user', null, 'User']);
  expect(opFor(ops, 'process_name')).toBeUndefined();
  // dest from the Splunk host: set, no field of the CIM key holds it
  expect(opFor(ops, 'dest')).toEqual(['dest', 'h1']);
});

it('no CIM field the event has is written', () => {
  const event = {
    sourcetype: 'crowdstrike:events:sensor',
    process: 'docker build -t x /tmp/c',
    CommandLine: 'docker build -t other .',
    process_path: '/usr/bin/docker',
    process_current_directory: '/tmp/c',
    process_id: '7',
    parent_process: 'bash -c x',
    parent_process_id: '6',
    user: 'bob',
    dest: 'd1',
    host: 'h1',
  };
  const written = opsOf(event).map((o) => o[0]);
  expect(written).toContain('t1612_source');
  expect(written.filter((f) => f in event)).toEqual([]);
});

it('a derived value the alias does not hold is set (linux_secure process=sudo, the command from COMMAND=)', () => {
  const raw =
    'Nov 30 05:14:22 lnx-a9 sudo:  alice : TTY=pts/1 ; PWD=/opt/x ; USER=root ; COMMAND=/usr/bin/docker build -t x .';
  const ops = opsOf({ sourcetype: 'linux_secure', _raw: raw, CommandLine: 'sudo', host: 'lnx-a9' });
  expect(opFor(ops, 'process')).toEqual(['process', '/usr/bin/docker build -t x .']);
  // the event's own process field wins and is not written
  expect(opFor(opsOf({ sourcetype: 'linux_secure', _raw: raw, process: 'sudo' }), 'process')).toBeUndefined();
});

it('eventFieldsSeen names the first field of each CIM key the event has', () => {
  const get = getterOf({ CommandLine: 'a', process: 'b', Image: 'c', Computer: 'd', user: '' });
  const seen = eventFieldsSeen(get);
  expect(seenField(seen, 'process')).toBe('process');
  expect(seenField(seen, 'process_path')).toBe('Image');
  expect(seenField(seen, 'dest')).toBe('Computer');
  expect(seenField(seen, 'user')).toBeUndefined();
  expect(seenField(seen, 't1612_source')).toBeUndefined();
});

it('on every corpus event, seenField agrees with reading the aliases one by one', () => {
  for (const c of loadCorpus()) {
    const get = getterOf(c.event);
    const seen = eventFieldsSeen(get);
    for (const [key, names] of Object.entries(CIM_ALIASES) as [keyof NormalisedEvent, string[]][])
      expect([c.id, key, seenField(seen, key)]).toEqual([c.id, key, names.find((n) => get(n) !== undefined)]);
  }
});

it('normalisedValues reads NORMALISED_FIELDS in their order', () => {
  const n = Object.fromEntries(NORMALISED_FIELDS.map((f) => [f, `value of ${f}`])) as unknown as NormalisedEvent;
  expect(normalisedValues(n)).toEqual(NORMALISED_FIELDS.map((f) => `value of ${f}`));
});

it.each(EVIDENCE_FIELDS)('evidence field %s alone is written back', (f) => {
  const n = { t1612_source: 'x', [f]: 'v' } as NormalisedEvent;
  expect(hasEvidenceFields(n)).toBe(true);
  expect(scoreNormalised(getterOf({}), n, options).ops).toContainEqual([f, 'v']);
  expect(hasEvidenceFields({ t1612_source: 'x' })).toBe(false);
});
