import { ResourceCreator } from './types';

/* eslint-disable @typescript-eslint/no-explicit-any -- template properties are untyped JSON */

/** The parameter type through which a template reads an SSM parameter at deploy time. */
export const SSM_PARAMETER_VALUE = 'AWS::SSM::Parameter::Value<String>';

/**
 * An SSM String parameter, kept by the loader for the stacks loaded after it
 * (the key ARNs the data stack hands the compute stack). Nothing runs against
 * SSM at run time, and CloudFormation itself resolves these parameters, which
 * the loader does in its place (as it does for exports).
 */
export const createParameter: ResourceCreator = async (_id, p: any) => {
  if (typeof p.Name !== 'string') throw new Error('Name is required locally (name the parameter)');
  if (p.Type !== 'String') throw new Error(`${p.Name}: only String parameters are loaded locally`);
  return {
    ref: p.Name,
    attributes: { Type: p.Type, Value: String(p.Value) },
    note: 'held by the loader for later stacks; not stored in moto',
  };
};
