/** The error a call fails with; fails the test when the call succeeds. */
export type ApiError = Error & { errorCode?: string; data?: { errorCode?: string; message?: string; fields?: string[] } };

export async function rejection(promise: PromiseLike<unknown>): Promise<ApiError> {
  try {
    await promise;
  } catch (error) {
    return error as ApiError;
  }
  throw new Error('expected the call to fail');
}
