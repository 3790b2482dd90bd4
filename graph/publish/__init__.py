"""What the service publishes about the data: pages, catalogue, VoID, dumps, OpenAPI, Service Description."""
