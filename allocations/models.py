# Models arrive with their issues; see README "What is built".
