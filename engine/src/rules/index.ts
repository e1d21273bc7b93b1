// The rule registry: one import + one entry per rule file, in the order of the spec's rule table.
import type { Rule } from '../rule';
import addressOutsideSubnet from './address-outside-subnet';
import blockedConnection from './blocked-connection';
import componentOsMismatch from './component-os-mismatch';
import encryptionDisabled from './encryption-disabled';
import encryptionMismatch from './encryption-mismatch';
import hostsEntryMismatch from './hosts-entry-mismatch';
import invalidInstaller from './invalid-installer';
import invalidTarget from './invalid-target';
import missingHostsEntry from './missing-hosts-entry';
import nonDnsDiscovery from './non-dns-discovery';
import portMismatch from './port-mismatch';
import reversedConnection from './reversed-connection';
import schema from './schema';
import smbEncryptionUnknown from './smb-encryption-unknown';
import smbUnencrypted from './smb-unencrypted';
import sourcePortsTooNarrow from './source-ports-too-narrow';
import undocumentedConnection from './undocumented-connection';
import unencryptedPort from './unencrypted-port';
import unknownReference from './unknown-reference';
import unresolvableServer from './unresolvable-server';
import wrongInstallPort from './wrong-install-port';
import yamlSyntax from './yaml-syntax';

export const RULES: Rule[] = [
  yamlSyntax,
  schema,
  unknownReference,
  unencryptedPort,
  smbEncryptionUnknown,
  smbUnencrypted,
  encryptionDisabled,
  encryptionMismatch,
  missingHostsEntry,
  unresolvableServer,
  hostsEntryMismatch,
  nonDnsDiscovery,
  blockedConnection,
  sourcePortsTooNarrow,
  wrongInstallPort,
  reversedConnection,
  undocumentedConnection,
  invalidInstaller,
  invalidTarget,
  componentOsMismatch,
  portMismatch,
  addressOutsideSubnet,
];

export const RULE_BY_ID = new Map(RULES.map((r) => [r.id, r]));
