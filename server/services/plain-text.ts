// Text a person chose (a device name) shown somewhere they do not control — a mail, the
// administrator's terminal: on one line, without control or format characters (no terminal
// escape sequences, no line breaks to forge another line with).
export const oneLine = (s: string, max = 100) =>
  s
    .replace(/[\p{Cc}\p{Cf}\u2028\u2029]+/gu, ' ')
    .trim()
    .slice(0, max);
