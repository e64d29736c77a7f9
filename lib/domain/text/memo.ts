// A string function's results remembered by argument, for names that come again and
// again (a file's path and its columns with every finding, a JSON key with every string
// under it): at most `max` at a time, forgotten all at once when full, so that a file
// with a million distinct names does not grow it without end. Pure.

export function memoised(f: (s: string) => string, max = 1024): (s: string) => string {
  const memo = new Map<string, string>();
  return (s) => {
    let r = memo.get(s);
    if (r === undefined) {
      if (memo.size >= max) memo.clear();
      memo.set(s, (r = f(s)));
    }
    return r;
  };
}
