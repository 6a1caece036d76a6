/** What the metrics need from the store (implemented by `store/metrics-repo.ts`). Every method is one small query. */
export interface MetricsReader {
  /** Requests per status (one `GROUP BY`); statuses with no rows may be absent. */
  countRequestsByStatus(): Promise<Map<string, number>>;
  /** Grants per status (one `GROUP BY`); statuses with no rows may be absent. */
  countGrantsByStatus(): Promise<Map<string, number>>;
  /** When the request was submitted, or undefined when there is no such request. */
  requestSubmittedAt(requestId: string): Promise<Date | undefined>;
  /** The AWS account id of the grant, or undefined when there is no such grant. */
  grantAccountId(grantId: string): Promise<string | undefined>;
}
