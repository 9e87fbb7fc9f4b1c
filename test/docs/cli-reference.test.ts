import { accessSync, constants, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { commands } from '../../cli/commands';
import { formatNames } from '../../core/ingest/formats';

const root = join(__dirname, '../..');

describe('the CLI as documented and installed', () => {
  const doc = readFileSync(join(root, 'docs/cli.md'), 'utf8');

  it.each(commands.map((c) => c.name))('docs/cli.md has a section for `logvault %s`', (name) => {
    expect(doc).toMatch(new RegExp(`^## ${name}$`, 'm'));
    expect(doc).toContain(`logvault ${name}`);
  });

  it.each(['json', ...formatNames])(
    'docs/cli.md and `ship --help` describe `--format %s`, docs/formats.md ships it',
    async (format) => {
      const ship = await commands.find((c) => c.name === 'ship')!.load();
      expect(ship.usage).toContain(`${format}: `);
      expect(doc).toContain(`| \`${format}\``);
      if (format !== 'json')
        expect(readFileSync(join(root, 'docs/formats.md'), 'utf8')).toContain(
          `--format ${format} `,
        );
    },
  );

  it('installs bin/logvault, an executable, as `logvault`', () => {
    const pkg = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8')) as {
      bin: Record<string, string>;
    };
    expect(pkg.bin).toEqual({ logvault: 'bin/logvault' });
    expect(() => accessSync(join(root, pkg.bin.logvault!), constants.X_OK)).not.toThrow();
  });
});
