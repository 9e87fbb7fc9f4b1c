import { Command } from '../command';
import { auditCommand } from './audit';
import { generateCommand } from './generate';

/** Every `logvault` subcommand; each lives in its own file beside this one. */
export const commands: Command[] = [auditCommand, generateCommand];
