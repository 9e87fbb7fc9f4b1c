import { ExitCode, UsageError } from './command';
import { StageConfigError } from '../core/config/load-stage-config';
import { commands } from './commands';
import { dropOutputWhenReaderGoes } from './pipe';
import { quoted } from '../core/format/printable';

function help(): string {
  const width = Math.max(...commands.map((c) => c.name.length), 4);
  return [
    'usage: logvault COMMAND [OPTIONS]',
    '',
    ...commands.map((c) => `  ${c.name.padEnd(width)}  ${c.summary}`),
    '',
    'Exit codes: 0 ok, 1 findings or rejected input, 2 bad usage, 3 AWS or environment failure.',
  ].join('\n');
}

export async function main(argv: string[]): Promise<number> {
  const [name, ...rest] = argv;
  if (name === undefined || name === '--help' || name === '-h') {
    console.log(help());
    return name === undefined ? ExitCode.usage : ExitCode.ok;
  }
  const entry = commands.find((c) => c.name === name);
  if (!entry) {
    console.error(`logvault: unknown command ${quoted(name)}\n\n${help()}`);
    return ExitCode.usage;
  }
  const command = await entry.load();
  if (rest.includes('--help') || rest.includes('-h')) {
    console.log(command.usage);
    return ExitCode.ok;
  }
  try {
    return await command.run(rest);
  } catch (error) {
    const { message, code } = error as { message: string; code?: unknown };
    if (
      error instanceof UsageError ||
      error instanceof StageConfigError ||
      String(code ?? '').startsWith('ERR_PARSE_ARGS')
    ) {
      console.error(`logvault ${name}: ${message}\n\n${command.usage}`);
      return ExitCode.usage;
    }
    console.error(`logvault ${name}: ${message}`);
    return ExitCode.failure;
  }
}

if (require.main === module) {
  // The one output path of every command: stdout and stderr of this process.
  dropOutputWhenReaderGoes(process.stdout);
  dropOutputWhenReaderGoes(process.stderr);
  main(process.argv.slice(2)).then((code) => {
    process.exitCode = code;
  });
}
