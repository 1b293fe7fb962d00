/**
 * Errors as types with a machine-readable code, so HTTP maps them to a status in one place and
 * clients (the console) branch on `code`, never on English text.
 */
export type ErrorCode =
  | 'not_found'
  | 'conflict'
  | 'already_taken'
  | 'not_waiting'
  | 'illegal_transition'
  | 'forbidden'
  | 'not_assigned'
  | 'invalid_input'
  | 'unavailable'
  /** The counselor already holds COUNSELOR_MAX_CHATS chats (the console shows it in its own words). */
  | 'at_capacity'
  /** Only an imminent conversation is acknowledged. */
  | 'not_imminent'
  /** A high or imminent suicide or self-harm chat closes only with the risk assessment. */
  | 'assessment_required';

export class AppError extends Error {
  constructor(
    readonly code: ErrorCode,
    readonly status: number,
    message: string,
    /** Values a client needs to say it in its own words (e.g. the chat cap), sent as `params`. */
    readonly params?: Record<string, string | number>,
  ) {
    super(message);
    this.name = 'AppError';
  }
}

export class NotFoundError extends AppError {
  constructor(message = 'not found') {
    super('not_found', 404, message);
    this.name = 'NotFoundError';
  }
}

export class ConflictError extends AppError {
  constructor(
    message: string,
    code: Extract<ErrorCode, 'conflict' | 'already_taken' | 'not_waiting' | 'illegal_transition' | 'at_capacity' | 'not_imminent'> = 'conflict',
    params?: Record<string, string | number>,
  ) {
    super(code, 409, message, params);
    this.name = 'ConflictError';
  }
}

export class ForbiddenError extends AppError {
  constructor(message = 'forbidden', code: Extract<ErrorCode, 'forbidden' | 'not_assigned'> = 'forbidden') {
    super(code, 403, message);
    this.name = 'ForbiddenError';
  }
}

export class InvalidInput extends AppError {
  constructor(message: string) {
    super('invalid_input', 400, message);
    this.name = 'InvalidInput';
  }
}

export class AssessmentRequired extends AppError {
  constructor(risk: string) {
    super(
      'assessment_required',
      400,
      `a ${risk}-risk suicide or self-harm chat closes only with the risk assessment (wishDead, thoughts, method, intent, plan, behaviour, timeFrame): POST /api/conversations/:id/assessment first, or send "assessment" with the close`,
      { risk },
    );
    this.name = 'AssessmentRequired';
  }
}

/** Error details safe for logs: type, code and message, never the child's text. */
export function errInfo(err: unknown): { type: string; message: string; code?: string } {
  if (err instanceof AppError) return { type: err.name, code: err.code, message: err.message.slice(0, 200) };
  if (err instanceof Error) return { type: err.name, message: err.message.slice(0, 200) };
  return { type: typeof err, message: 'non-error thrown' };
}
