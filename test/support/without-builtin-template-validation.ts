/**
 * Jest setup: apps synthesized inside test files skip aws-cdk-lib's built-in
 * CloudFormation validation (`CDK_VALIDATION=false`, as `cdk synth
 * --no-validation` does).
 *
 * Why: that validator only ever warns (aws-cdk-lib 2.276 downgrades its
 * errors to warnings), yet each jest file, with a module registry of its
 * own, pays about 2.3 s of CPU to start its WASM engine and about 0.2 s per
 * synth. Measured on the 13 files that synthesize fixtures: 151 CPU-s with
 * it, 45 without, on a machine where jest is CPU-bound. The stage templates
 * still get it and more where it counts: `npm test`'s synth step writes
 * every stage's assembly with it on, as `cdk synth` does, and cfn-lint then
 * checks those templates.
 */
process.env.CDK_VALIDATION = 'false';
