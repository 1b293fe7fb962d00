export interface Problem {
  file: string;
  line: number;
  message: string;
  /**
   * Where in the file, as the studio names it: a YAML path ("steps.breathing.buttons.0.goto",
   * "examples.ru.3") or a Fluent message id ("breathing-1"). Absent when only the line is known.
   */
  field?: string;
}

export function formatProblem(p: Problem): string {
  return `${p.file}:${p.line}: ${p.message}`;
}

/** Content that cannot be used; carries every problem found, each with file and line. */
export class ContentError extends Error {
  constructor(readonly problems: Problem[]) {
    super(`content has ${problems.length} problem(s):\n${problems.map(formatProblem).join('\n')}`);
    this.name = 'ContentError';
  }
}
