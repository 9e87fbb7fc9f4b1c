import { Command } from '../command';
import { auditCommand } from './audit';

/** Every `logvault` subcommand; each lives in its own file beside this one. */
export const commands: Command[] = [auditCommand];
