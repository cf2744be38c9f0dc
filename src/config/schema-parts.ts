// Value types shared by the sections of the configuration schema.
import { accessSync, constants } from 'node:fs';
import { z } from 'zod';

/** A positive whole number of milliseconds. */
export const positiveMs = z.number().int().positive();

/** A path that must be readable when the configuration is loaded, so a typo stops start-up. */
export const readableFile = z.string().refine((path) => {
  try {
    accessSync(path, constants.R_OK);
    return true;
  } catch {
    return false;
  }
}, 'file does not exist or is not readable');
