import { ApiError } from '../api/errors.js';

/** Errors of the control plane's workspace management. */

export const workspaceNotFound = (name: string) => new ApiError(404, `workspace '${name}' not found`);

export const workspaceExists = (name: string) => new ApiError(409, `workspace '${name}' exists already`);

export const workspaceKeyInUse = (name: string, other: string) =>
  new ApiError(409, `workspace '${name}': that workspace key is in use by workspace '${other}'`);

export const apiKeyInUse = (name: string, other: string) =>
  new ApiError(409, `workspace '${name}': one of those API keys is in use by workspace '${other}'`);

export const configuredWorkspaceNotDroppable = (name: string) =>
  new ApiError(409, `workspace '${name}' comes from the configuration; reset it instead, or remove it from the configuration`);
