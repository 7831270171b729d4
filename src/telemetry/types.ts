/**
 * The contract between telemetry normalisation (src/telemetry) and the detection model
 * (src/detection): CIM Endpoint.Processes-style fields derived from one Splunk event.
 * Every value is a string, as Splunk fields are; absent means unknown.
 */

/** Reads a field of the event as Splunk handed it over; undefined when absent or empty. */
export type FieldGetter = ((name: string) => string | undefined) & {
  /**
   * Optional, for large values (Sysmon's `_raw`): the field's text with every `"` doubled as CSV quoting
   * left it, when that is cheaper than the value (no unescaping pass); undefined otherwise.
   */
  doubled?: (name: string) => string | undefined;
};

export type EventKind = 'process' | 'network' | 'file' | 'docker_api' | 'socket_connect' | 'other';

export interface NormalisedEvent {
  /** Which parser produced the fields (e.g. `auditd:execve`, `sysmon:xml`), or `none:<why>`. */
  t1612_source: string;
  event_kind?: EventKind;

  // CIM Endpoint.Processes
  process?: string;
  process_name?: string;
  process_path?: string;
  process_current_directory?: string;
  process_id?: string;
  parent_process?: string;
  parent_process_name?: string;
  parent_process_id?: string;
  user?: string;
  dest?: string;

  // Evidence the detection model reads besides the process fields.
  /** dockerd `Calling <METHOD> /v<N>/<path>?<query>`: method, path (with version) and raw query. */
  docker_api_method?: string;
  docker_api_path?: string;
  docker_api_query?: string;
  /** dockerd debug `form data: {...}` JSON text (containers/create Binds, Privileged, PidMode…). */
  docker_api_form?: string;
  /** Unix socket path an auditd SOCKADDR (connect) or Sysmon network event names. */
  socket_path?: string;
  /** Sysmon EID 11 target file. */
  file_path?: string;
  /** Sysmon EID 3 destination. */
  dest_ip?: string;
  dest_port?: string;
  /** Set when a parser cap was hit (e.g. an auditd argument index past the cap): the reason, naming the cap. */
  t1612_truncated?: string;
}

/** The CIM field names, in output order, that normalisation may fill on an event. */
export const NORMALISED_FIELDS: readonly (keyof NormalisedEvent)[] = [
  'process',
  'process_name',
  'process_path',
  'process_current_directory',
  'process_id',
  'parent_process',
  'parent_process_name',
  'parent_process_id',
  'user',
  'dest',
  't1612_source',
];
