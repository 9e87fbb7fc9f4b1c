import { mkdtempSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Template } from 'aws-cdk-lib/assertions';
import { publishedKeyring } from '../../lib/sealing/published-keyring';
import { synthStage } from '../support/synth';

/** The digest function carries the stage's published keyring, checked at synth as it will parse it. */
describe('published keyring bundled into the digest function', () => {
  const trustWith = (stage: string, text: string) => {
    const dir = mkdtempSync(join(tmpdir(), 'trust-'));
    mkdirSync(join(dir, stage));
    writeFileSync(join(dir, stage, 'digest-keys.json'), text);
    return dir;
  };

  it.each(['dev', 'prod'])(
    'gives %s seal-digest the committed trust/<stage>/digest-keys.json',
    (stage) => {
      const compute = Template.fromJSON(synthStage(stage).templates[`Logvault-${stage}-Compute`]);
      const committed = readFileSync(
        join(__dirname, '../../trust', stage, 'digest-keys.json'),
        'utf8',
      );
      compute.hasResourceProperties('AWS::Lambda::Function', {
        FunctionName: `logvault-${stage}-seal-digest`,
        Environment: { Variables: { DIGEST_KEYRING: JSON.stringify(JSON.parse(committed)) } },
      });
    },
  );

  it('fails synth on a keyring the function would refuse, naming the field and the fix', () => {
    const dir = trustWith(
      'dev',
      JSON.stringify({ format: 'logvault-keyring/1', stage: 'dev', keys: [{ fingerprint: 'x' }] }),
    );
    expect(() => publishedKeyring('dev', dir)).toThrow(/keys\.0\.fingerprint: .*64 lowercase hex/);
  });

  it("fails synth on another stage's keyring; a stage with none gets an empty one", () => {
    const dir = trustWith(
      'dev',
      JSON.stringify({ format: 'logvault-keyring/1', stage: 'prod', keys: [] }),
    );
    expect(() => publishedKeyring('dev', dir)).toThrow(/stage is prod, expected dev/);
    expect(JSON.parse(publishedKeyring('test', dir))).toEqual({
      format: 'logvault-keyring/1',
      stage: 'test',
      keys: [],
    });
  });
});
