from oscar.apps.search.search_indexes import *  # noqa: F403  (Oscar's product index)
