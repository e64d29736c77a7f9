// How an evidence item was registered: from the organisation file (the only evidence
// an import manages), with a review answer, through the API, or by the product itself.
import { z } from 'zod';

export const EvidenceOrigin = z.enum(['file', 'answer', 'api', 'system']);
export type EvidenceOrigin = z.infer<typeof EvidenceOrigin>;
