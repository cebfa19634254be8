export * from './roles.ts';
export * from './errors.ts';
export * from './domain.ts';
export * from './protocol.ts';
export * from './token.ts';
export * from './media.ts';
