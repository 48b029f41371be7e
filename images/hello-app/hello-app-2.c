#define HELLO_VERSION "2.0.0"
#define HELLO_TAG "2.0"
#include "hello-app.h"
