// The rule registry: one import + one entry per rule file, in the order of the spec's rule table.
import type { Rule } from '../rule';
import blockedConnection from './blocked-connection';
import encryptionDisabled from './encryption-disabled';
import encryptionMismatch from './encryption-mismatch';
import reversedConnection from './reversed-connection';
import schema from './schema';
import smbEncryptionUnknown from './smb-encryption-unknown';
import smbUnencrypted from './smb-unencrypted';
import sourcePortsTooNarrow from './source-ports-too-narrow';
import undocumentedConnection from './undocumented-connection';
import unencryptedPort from './unencrypted-port';
import wrongInstallPort from './wrong-install-port';
import yamlSyntax from './yaml-syntax';

export const RULES: Rule[] = [
  yamlSyntax,
  schema,
  // unknown-reference
  unencryptedPort,
  smbEncryptionUnknown,
  smbUnencrypted,
  encryptionDisabled,
  encryptionMismatch,
  // missing-hosts-entry, unresolvable-server, hosts-entry-mismatch, non-dns-discovery
  blockedConnection,
  sourcePortsTooNarrow,
  wrongInstallPort,
  reversedConnection,
  undocumentedConnection,
  // invalid-installer, invalid-target, component-os-mismatch, port-mismatch, address-outside-subnet
];

export const RULE_BY_ID = new Map(RULES.map((r) => [r.id, r]));
