"""Pages of the agenda app: issues, calls, clusters, priorities and agenda share."""
