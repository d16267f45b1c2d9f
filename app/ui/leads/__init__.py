"""The Leads screen: the list workspace, its delegate, the filter panel and bulk actions."""
