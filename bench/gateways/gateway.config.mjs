// Hive Gateway configuration for the benchmark: pass the Authorization header on to the subgraphs,
// as our router does. Everything else is the CLI's default.
export const gatewayConfig = {
  propagateHeaders: {
    fromClientToSubgraphs({ request }) {
      const authorization = request.headers.get("authorization");
      return authorization ? { authorization } : {};
    },
  },
};
