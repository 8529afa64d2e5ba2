"""Starting the product: secrets, the database, Rasa, the action server and the bot."""
