import { createHash } from 'node:crypto';
import { loadTemplates } from '../../local/template-loader';
import { KmsSigner, kmsPublicKey, verifySignature } from '../../core/sealing/signer';
import { digestSigningKeyAlias } from '../../core/naming';
import { synthStage } from '../support/synth';
import { LOCAL_REGION, useOwnAccount } from '../support/standins';

describe('digest signing key loaded from the dev template', () => {
  it('is created on the stand-in with its alias, signs, and verifies with the public key alone', async () => {
    // An account of its own: no other file re-points this alias between signing and verifying.
    const { clients, accountId } = await useOwnAccount();
    const { templates } = synthStage('dev');
    const stackName = 'Logvault-dev-Data';
    const { resources } = await loadTemplates(
      [{ stackName, template: templates[stackName] }],
      clients,
      { accountId, region: LOCAL_REGION },
    );
    const mine = resources.filter((r) => r.logicalId.startsWith('DigestSigningKey'));
    expect(mine.map((r) => [r.type, r.status]).sort()).toEqual([
      ['AWS::KMS::Alias', 'created'],
      ['AWS::KMS::Key', 'created'],
    ]);

    // The alias is what `logvault verify` and the digest function use by default.
    const alias = digestSigningKeyAlias('dev');
    const message = Buffer.from(`logvault-digest/1\nkey\n${createHash('sha256').digest('hex')}`);
    const signature = await new KmsSigner(clients.kms, alias).sign(message);
    const publicKey = await kmsPublicKey(clients.kms, alias);
    expect(verifySignature(publicKey, message, signature)).toBe(true);
    expect(verifySignature(publicKey, Buffer.from('other'), signature)).toBe(false);
  });
});
