import { functionEnvironments } from '../../core/env';
import { FunctionName, functionName, functionNames } from '../../core/naming';
import { stageNames, synthStage } from '../support/synth';

/**
 * What a construct gives a function is exactly what the function's contract
 * (core/env) parses: no variable missing, none extra, every value of the
 * right form. Values CloudFormation fills in at deploy time stand in as
 * samples of their kind.
 */

/** A deploy-time value's stand-in: its literal parts kept, each reference a sample. */
function sample(name: string, value: unknown): string {
  if (typeof value === 'string') return value;
  const join = (value as { 'Fn::Join'?: [string, unknown[]] })['Fn::Join'];
  if (join) return join[1].map((part) => sample(name, part)).join(join[0]);
  return name.endsWith('_ROLE_ARN') ? 'arn:aws:iam::123456789012:role/sample' : 'sample';
}

describe.each(stageNames)('function environments of stage %s', (stage) => {
  const functions = Object.values(synthStage(stage).templates)
    .flatMap((t) => Object.values(t.Resources ?? {}))
    .filter((r) => r.Type === 'AWS::Lambda::Function')
    .map((r) => r.Properties as { FunctionName: string; Environment: { Variables: object } });

  it('has a function for every handler, and only those', () => {
    expect(functions.map((f) => f.FunctionName).sort()).toEqual(
      functionNames.map((fn) => functionName(stage, fn)).sort(),
    );
  });

  it.each(functionNames)(
    'gives %s exactly the variables its contract parses',
    (fn: FunctionName) => {
      const variables = functions.find((f) => f.FunctionName === functionName(stage, fn))!
        .Environment.Variables as Record<string, unknown>;
      const env = Object.fromEntries(
        Object.entries(variables).map(([name, value]) => [name, sample(name, value)]),
      );
      const parsed = functionEnvironments[fn].strict().safeParse(env);
      expect(parsed.error?.issues ?? []).toEqual([]);
    },
  );
});
