// asl-validator ships no types.
declare module 'asl-validator' {
  interface Result {
    isValid: boolean;
    errorsText(separator?: string): string;
  }
  function validator(definition: unknown, options?: { checkArn?: boolean; checkPaths?: boolean }): Result;
  export default validator;
}
