// Config section 'face': every key has a default; unknown keys fail.
import { z } from 'zod';

export const faceSection = z.strictObject({}).prefault({});
