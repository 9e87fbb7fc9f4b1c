/** What a deployed definition's task function ARN reads as once rendered here. */
export const FUNCTION_ARN = 'arn:aws:lambda:us-east-1:000000000000:function:task';

/**
 * A state machine's synthesized DefinitionString (an Fn::Join of JSON text
 * and the ARNs of its task functions) as the JSON Step Functions receives,
 * with each `Fn::GetAtt [<functionId>, Arn]` read as FUNCTION_ARN. Any other
 * intrinsic is refused, so a definition naming another resource shows up.
 */
export function renderDefinition(definitionString: unknown, functionId: string): string {
  if (typeof definitionString === 'string') return definitionString;
  const join = (definitionString as { 'Fn::Join'?: [string, unknown[]] })['Fn::Join'];
  if (join === undefined) throw new Error('DefinitionString is neither text nor an Fn::Join');
  return join[1]
    .map((part) => {
      if (typeof part === 'string') return part;
      const getAtt = (part as { 'Fn::GetAtt'?: [string, string] })['Fn::GetAtt'];
      if (getAtt?.[0] === functionId && getAtt[1] === 'Arn') return FUNCTION_ARN;
      throw new Error(`the definition refers to ${JSON.stringify(part)}, not the task function`);
    })
    .join(join[0]);
}
