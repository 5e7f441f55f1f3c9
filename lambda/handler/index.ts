// Placeholder entry so the CDK stack can bundle; replaced by the Lambda issue's handler.
export const handler = async (): Promise<void> => {};
