/**
 * Which of Spark's two implementations a session's API is typed for (Spark 4's `classic`
 * and `connect`, whose abstract Dataset names its own type through an abstract type
 * member; here a type parameter). A local session answers now; a remote one (Spark
 * Connect) asks the server, so what needs the server is a Promise there, and tsc makes
 * the user `await` it.
 */
export type SessionMode = "local" | "remote";

/** What a call that needs the server gives: `X` on a local session, `Promise<X>` on a remote one. */
export type Answer<M extends SessionMode, X> = M extends "remote" ? Promise<X> : X;
