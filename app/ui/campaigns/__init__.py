"""The Campaigns screen: a page of campaign cards and the dialogs that edit them."""
