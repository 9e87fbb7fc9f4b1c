import { Command } from '../command';

/** Every `logvault` subcommand; each lives in its own file beside this one. */
export const commands: Command[] = [];
