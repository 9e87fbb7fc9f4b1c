/**
 * `logvault ... | head`: once the reader of stdout (or stderr) has gone,
 * writing fails with EPIPE, and Node reports that as an unhandled stream
 * error: a stack trace on the terminal, for output nobody asked to read any
 * more. The reader going away is not a failure of the command, so the
 * stream's further output is dropped quietly and the command runs to its
 * end (an apply or release is never cut short by what reads its summary)
 * and exits with its own code. Any other stream error still surfaces.
 */
export function dropOutputWhenReaderGoes(stream: NodeJS.WriteStream): void {
  stream.on('error', (error: NodeJS.ErrnoException) => {
    if (error.code === 'EPIPE' || error.code === 'ERR_STREAM_DESTROYED') return;
    throw error;
  });
}
