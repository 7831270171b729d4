/** Telemetry normalisation: Splunk events → CIM Endpoint.Processes fields (no protocol code here). */
export * from './types';
export { normaliseEvent } from './normalise';
export { parseAuditRecord, parseAuditRaw, auditEventFromRecords, auditEpoch, splitAuditId } from './auditd';
export { parseSysmonXml, sysmonXml } from './sysmon';
export { normaliseSudo, syslogHost } from './sudo';
export { normaliseDockerd, dockerQueryParams } from './dockerd';
