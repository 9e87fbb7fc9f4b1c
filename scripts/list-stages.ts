import { stages } from '../core/config/stages';

// Prints the configured stage names, one per line, for scripts that loop over stages.
console.log(Object.keys(stages).join('\n'));
