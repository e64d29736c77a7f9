// How DynamoDB says a condition refused a write: a single write fails with
// ConditionalCheckFailedException, a transaction with TransactionCanceledException
// and one reason per item, in the order the items were given.

/** Each item's reason a transaction was cancelled (`ConditionalCheckFailed`, `None`, ...); empty for any other error. */
export function cancellationCodes(error: unknown): string[] {
  if ((error as Error).name !== 'TransactionCanceledException') return [];
  return ((error as { CancellationReasons?: { Code?: string }[] }).CancellationReasons ?? []).map((r) => r.Code ?? 'None');
}

/** A write, or a transaction, that a condition refused. */
export function isConditionFailure(error: unknown): boolean {
  return (error as Error).name === 'ConditionalCheckFailedException' || cancellationCodes(error).includes('ConditionalCheckFailed');
}

/** A transaction cancelled because another transaction was under way on one of its items: nothing was written; it may be sent again. */
export function isTransactionConflict(error: unknown): boolean {
  return cancellationCodes(error).includes('TransactionConflict');
}

/** A conditional write sent: true when it was written, false when its condition did not hold (any other error is thrown). */
export async function writtenIf(write: Promise<unknown>): Promise<boolean> {
  try {
    await write;
    return true;
  } catch (error) {
    if (isConditionFailure(error)) return false;
    throw error;
  }
}
