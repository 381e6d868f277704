import { ApiError } from '../api/errors.js';

/** Errors of the control plane's workspace management. */

export const workspaceNotFound = (name: string) => new ApiError(404, `workspace '${name}' not found`);

export const workspaceExists = (name: string) => new ApiError(409, `workspace '${name}' exists already`);

export const workspaceKeyInUse = () => new ApiError(409, 'that workspace key is in use by another workspace');

export const apiKeyInUse = () => new ApiError(409, 'one of those API keys is in use by another workspace');

export const configuredWorkspaceNotDroppable = (name: string) =>
  new ApiError(409, `workspace '${name}' comes from the configuration; reset it instead, or remove it from the configuration`);
