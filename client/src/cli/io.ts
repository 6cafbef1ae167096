// The CLI's terminal: lines out and err, stdin, and a prompt that does not echo
// what is typed (passwords). Commands see only this interface, so tests give
// them one that records.
export interface Io {
  out(line: string): void;
  err(line: string): void;
  /** Whether stdin is a terminal (then secrets are prompted for, otherwise read from stdin). */
  readonly interactive: boolean;
  /** All of stdin. */
  readStdin(): Promise<string>;
  /** Asks on stderr; `secret`: nothing typed is shown. */
  prompt(question: string, options?: { secret?: boolean }): Promise<string>;
}

/** Reads one line from a terminal in raw mode, echoing nothing when secret. */
function promptTerminal(question: string, secret: boolean): Promise<string> {
  const stdin = process.stdin;
  process.stderr.write(question);
  return new Promise((resolve, reject) => {
    let answer = "";
    stdin.setRawMode(true);
    stdin.resume();
    const finish = (error?: Error) => {
      stdin.setRawMode(false);
      stdin.pause();
      stdin.off("data", onData);
      process.stderr.write("\n");
      error ? reject(error) : resolve(answer);
    };
    const onData = (chunk: Buffer) => {
      for (const char of chunk.toString("utf8")) {
        if (char === "\r" || char === "\n") return finish();
        if (char === "\u0003" || char === "\u0004") return finish(new Error("cancelled"));
        if (char === "\u007f" || char === "\b") {
          answer = [...answer].slice(0, -1).join("");
          if (!secret) process.stderr.write("\b \b");
        } else if (char >= " ") {
          answer += char;
          if (!secret) process.stderr.write(char);
        }
      }
    };
    stdin.on("data", onData);
  });
}

export function processIo(): Io {
  return {
    out: (line) => process.stdout.write(`${line}\n`),
    err: (line) => process.stderr.write(`${line}\n`),
    interactive: process.stdin.isTTY === true,
    readStdin: () => Bun.stdin.text(),
    prompt: (question, options = {}) => promptTerminal(question, options.secret === true),
  };
}
