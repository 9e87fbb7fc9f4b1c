import { Command } from '../command';
import { aggregateCommand } from './aggregate';
import { anchorsCommand } from './anchors';
import { auditCommand } from './audit';
import { generateCommand } from './generate';
import { holdCommand } from './hold';
import { shipCommand } from './ship';
import { queryCommand } from './query';
import { reportCommand } from './report';
import { verifyCommand } from './verify';
import { smokeCommand } from './smoke';

/** Every `logvault` subcommand; each lives in its own file beside this one. */
export const commands: Command[] = [
  auditCommand,
  generateCommand,
  shipCommand,
  queryCommand,
  reportCommand,
  aggregateCommand,
  verifyCommand,
  anchorsCommand,
  holdCommand,
  smokeCommand,
];
