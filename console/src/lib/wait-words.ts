/** "about 15 minutes", "a minute", "30 seconds": a wait the service asked for, as a person says it. */
export function waitWords(seconds: number | null): string {
  if (seconds === null) return 'a few minutes';
  if (seconds < 60) return `${Math.max(1, Math.round(seconds))} seconds`;
  const minutes = Math.round(seconds / 60);
  return minutes <= 1 ? 'a minute' : `about ${minutes} minutes`;
}
